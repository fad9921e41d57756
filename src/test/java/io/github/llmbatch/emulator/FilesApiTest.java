package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesApiTest {

    private EmulatorServer emulator;
    private TestClient client;

    @BeforeEach
    void start() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withLimits(EmulatorLimits.defaults().withMaxUploadBytes(1000)));
        client = new TestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void uploadAnswersAFileObjectWithEveryKey() {
        TestClient.Answer answer = client.upload("requests.jsonl", "{\"a\":1}\n");
        assertEquals(200, answer.status(), answer.text());
        assertEquals("true", answer.header("x-llm-batch-emulator"));
        assertTrue(answer.header("x-request-id").startsWith("req_"));
        JsonNode file = answer.json();
        assertTrue(file.get("id").asText().startsWith("file-"));
        assertEquals("file", file.get("object").asText());
        assertEquals(8, file.get("bytes").asLong());
        assertEquals("requests.jsonl", file.get("filename").asText());
        assertEquals("batch", file.get("purpose").asText());
        assertEquals("processed", file.get("status").asText());
        assertTrue(file.has("status_details") && file.get("status_details").isNull());
        assertEquals(30L * 24 * 3600, file.get("expires_at").asLong() - file.get("created_at").asLong());
        assertEquals(1, emulator.stats().filesUploaded());
    }

    @Test
    void uploadHonoursExpiresAfterInBracketAndDotSpelling() {
        JsonNode bracket = client.upload("a.jsonl", "x\n".getBytes(StandardCharsets.UTF_8), "batch",
                Map.of("expires_after[anchor]", "created_at", "expires_after[seconds]", "3600")).json();
        assertEquals(3600, bracket.get("expires_at").asLong() - bracket.get("created_at").asLong());
        JsonNode dot = client.upload("a.jsonl", "x\n".getBytes(StandardCharsets.UTF_8), "batch",
                Map.of("expires_after.anchor", "created_at", "expires_after.seconds", "7200")).json();
        assertEquals(7200, dot.get("expires_at").asLong() - dot.get("created_at").asLong());
        TestClient.Answer bad = client.upload("a.jsonl", "x\n".getBytes(StandardCharsets.UTF_8), "batch",
                Map.of("expires_after[anchor]", "created_at", "expires_after[seconds]", "60"));
        assertError(bad, 400, "expires_after.seconds");
        JsonNode other = client.upload("notes.txt", "x".getBytes(StandardCharsets.UTF_8), "user_data", Map.of())
                .json();
        assertTrue(other.get("expires_at").isNull());
        assertEquals(List.of("a.jsonl", "a.jsonl"), emulator.stats().batchFileNames(),
                "stored uploads with purpose batch, not the refused one nor the user_data one");
    }

    @Test
    void uploadRejectsBadRequests() {
        TestClient.Answer notJsonl = client.upload("requests.csv", "a,b\n");
        assertError(notJsonl, 400, null);
        assertEquals("Invalid file format for Batch API. Must be .jsonl",
                notJsonl.json().get("error").get("message").asText());
        assertError(client.upload("a.jsonl", "x".getBytes(StandardCharsets.UTF_8), null, Map.of()), 400, "purpose");
        assertError(client.upload("a.jsonl", "x".getBytes(StandardCharsets.UTF_8), "nonsense", Map.of()), 400,
                "purpose");
        TestClient.Answer tooLarge = client.upload("big.jsonl", "y".repeat(1001));
        assertError(tooLarge, 400, "file");
        assertEquals(200, client.upload("max.jsonl", "y".repeat(1000)).status());
        assertError(client.send(client.request("/files").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 400, null);
        assertEquals(1, emulator.stats().filesUploaded());
    }

    @Test
    void requiresAnApiKeyOnEveryRoute() {
        for (String path : List.of("/files", "/files/file-x", "/batches", "/batches/b")) {
            TestClient.Answer answer = client.send(HttpRequest.newBuilder(
                    java.net.URI.create(client.base() + path)).GET().build());
            assertError(answer, 401, null);
            assertNotNull(answer.header("x-request-id"));
        }
        TestClient.Answer emptyBearer = client.send(HttpRequest.newBuilder(
                java.net.URI.create(client.base() + "/files")).header("Authorization", "Bearer ").GET().build());
        assertError(emptyBearer, 401, null);
        TestClient.Answer azure = client.send(HttpRequest.newBuilder(java.net.URI.create(
                client.base().toString().replace("/v1", "/openai/v1") + "/files?api-version=2025-04-01-preview"))
                .header("api-key", "k").header("X-Unknown-Header", "ignored").GET().build());
        assertEquals(200, azure.status(), azure.text());
    }

    @Test
    void listsFilesByPurposeInBothOrdersWithCursors() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.uploadJsonl("{}\n"));
        }
        client.upload("notes.txt", "x".getBytes(StandardCharsets.UTF_8), "user_data", Map.of());

        JsonNode all = client.get("/files").json();
        assertEquals("list", all.get("object").asText());
        assertEquals(6, all.get("data").size());
        assertFalse(all.get("has_more").asBoolean());
        assertEquals("notes.txt", all.get("data").get(0).get("filename").asText()); // newest first by default

        JsonNode firstPage = client.get("/files?purpose=batch&order=asc&limit=2").json();
        assertEquals(List.of(ids.get(0), ids.get(1)), idsOf(firstPage));
        assertTrue(firstPage.get("has_more").asBoolean());
        assertEquals(ids.get(0), firstPage.get("first_id").asText());
        assertEquals(ids.get(1), firstPage.get("last_id").asText());
        JsonNode secondPage = client.get("/files?purpose=batch&order=asc&limit=2&after=" + ids.get(1)).json();
        assertEquals(List.of(ids.get(2), ids.get(3)), idsOf(secondPage));
        JsonNode lastPage = client.get("/files?purpose=batch&order=asc&limit=2&after=" + ids.get(3)).json();
        assertEquals(List.of(ids.get(4)), idsOf(lastPage));
        assertFalse(lastPage.get("has_more").asBoolean());

        JsonNode desc = client.get("/files?purpose=batch&limit=3").json();
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), idsOf(desc));

        // a deleted cursor keeps its place
        assertEquals(200, client.delete("/files/" + ids.get(1)).status());
        JsonNode afterDeleted = client.get("/files?purpose=batch&order=asc&after=" + ids.get(1)).json();
        assertEquals(List.of(ids.get(2), ids.get(3), ids.get(4)), idsOf(afterDeleted));

        assertError(client.get("/files?limit=0"), 400, "limit");
        assertError(client.get("/files?limit=10001"), 400, "limit");
        assertError(client.get("/files?order=up"), 400, "order");
        JsonNode empty = client.get("/files?purpose=vision").json();
        assertEquals(0, empty.get("data").size());
        assertTrue(empty.get("first_id").isNull());
    }

    @Test
    void retrievesDownloadsAndDeletes() {
        String content = "{\"custom_id\":\"é\"}\n";
        String id = client.uploadJsonl(content);
        JsonNode file = client.get("/files/" + id).json();
        assertEquals(id, file.get("id").asText());
        TestClient.Answer download = client.get("/files/" + id + "/content");
        assertEquals(200, download.status());
        assertEquals("application/octet-stream", download.header("content-type"));
        assertEquals(content, download.text());

        JsonNode deleted = client.delete("/files/" + id).json();
        assertEquals(id, deleted.get("id").asText());
        assertEquals("file", deleted.get("object").asText());
        assertTrue(deleted.get("deleted").asBoolean());
        assertError(client.get("/files/" + id), 404, "id");
        assertError(client.get("/files/" + id + "/content"), 404, "id");
        assertError(client.delete("/files/" + id), 404, "id");
        assertError(client.get("/nothing/here"), 404, null);
    }

    @Test
    void streamsALargeUploadToDiskAndBack(@TempDir Path tmp) throws Exception {
        emulator.close();
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withStorageDir(tmp.resolve("store")));
        client = new TestClient(emulator.baseUrl());
        Path big = tmp.resolve("big.jsonl");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(big))) {
            for (int line = 0; line < 150_000; line++) { // ~ 20 MB
                out.write((TestClient.chatLine("id-" + line, "payload " + "z".repeat(line % 50)) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        String boundary = "big-boundary-1";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = client.request("/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(big), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        TestClient.Answer answer = client.send(request);
        assertEquals(200, answer.status(), answer.text());
        String id = answer.json().get("id").asText();
        assertEquals(Files.size(big), answer.json().get("bytes").asLong());
        assertTrue(Files.exists(tmp.resolve("store").resolve(id)));

        HttpResponse<InputStream> download = java.net.http.HttpClient.newHttpClient().send(
                client.request("/files/" + id + "/content").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(String.valueOf(Files.size(big)), download.headers().firstValue("content-length").orElse(null));
        assertArrayEquals(sha256(Files.newInputStream(big)), sha256(download.body()));
        emulator.close();
        assertTrue(Files.exists(tmp.resolve("store")), "a given storage directory is left in place");
    }

    @Test
    void deletesItsOwnTemporaryStorageOnClose() {
        client.uploadJsonl("{}\n");
        Path storage = emulator.storageDir();
        assertTrue(Files.isDirectory(storage));
        emulator.close();
        assertFalse(Files.exists(storage));
    }

    private static byte[] sha256(InputStream stream) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = stream) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(file -> ids.add(file.get("id").asText()));
        return ids;
    }

    static void assertError(TestClient.Answer answer, int status, String param) {
        assertEquals(status, answer.status(), answer.text());
        JsonNode error = answer.json().get("error");
        assertNotNull(error, answer.text());
        for (String key : List.of("message", "type", "param", "code")) {
            assertTrue(error.has(key), "error body lacks " + key + ": " + answer.text());
        }
        if (param != null) {
            assertEquals(param, error.get("param").asText(), answer.text());
        }
        assertNotNull(answer.header("x-request-id"));
        assertEquals("true", answer.header("x-llm-batch-emulator"));
    }
}
