package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Raw-HTTP calls of the emulator's Gemini API, for the tests; built on {@link TestClient}'s sender. */
final class GeminiTestClient {

    static final Set<String> TERMINAL = Set.of("BATCH_STATE_SUCCEEDED", "BATCH_STATE_FAILED",
            "BATCH_STATE_CANCELLED", "BATCH_STATE_EXPIRED");

    private final URI base;
    private final TestClient http;

    /** @param base the Gemini base, e.g. {@code http://127.0.0.1:8089} */
    GeminiTestClient(URI base) {
        this.base = base;
        this.http = new TestClient(base);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .header("x-goog-api-key", "test-key");
    }

    TestClient.Answer send(HttpRequest request) {
        return http.send(request);
    }

    TestClient.Answer get(String path) {
        return send(request(path).GET().build());
    }

    TestClient.Answer post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    TestClient.Answer delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** The start call of a resumable upload. */
    TestClient.Answer startUpload(String displayName, long bytes) {
        String body = displayName == null ? "" : "{\"file\":{\"display_name\":\"" + displayName + "\"}}";
        return send(request("/upload/v1beta/files").header("X-Goog-Upload-Protocol", "resumable")
                .header("X-Goog-Upload-Command", "start")
                .header("X-Goog-Upload-Header-Content-Length", Long.toString(bytes))
                .header("X-Goog-Upload-Header-Content-Type", "application/jsonl")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** One chunk to a session URL. */
    TestClient.Answer sendChunk(String sessionUrl, byte[] bytes, long offset, String command) {
        return send(HttpRequest.newBuilder(URI.create(sessionUrl)).header("X-Goog-Upload-Command", command)
                .header("X-Goog-Upload-Offset", Long.toString(offset))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Uploads a JSONL text in one finalize chunk; returns the file's name ({@code files/…}). */
    String upload(String jsonl, String displayName) {
        byte[] bytes = jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TestClient.Answer started = startUpload(displayName, bytes.length);
        assertEquals(200, started.status(), started.text());
        TestClient.Answer finished = sendChunk(started.header("x-goog-upload-url"), bytes, 0, "upload, finalize");
        assertEquals(200, finished.status(), finished.text());
        assertEquals("final", finished.header("x-goog-upload-status"));
        return finished.json().get("file").get("name").asText();
    }

    TestClient.Answer createBatch(String model, String fileName, String displayName) {
        return post("/v1beta/models/" + model + ":batchGenerateContent", "{\"batch\":{\"display_name\":\""
                + displayName + "\",\"input_config\":{\"file_name\":\"" + fileName + "\"}}}");
    }

    /** Uploads, creates a content batch; returns its name ({@code batches/…}). */
    String startBatch(String jsonl, String displayName) {
        TestClient.Answer created = createBatch("gemini-emu-flash", upload(jsonl, displayName + ".jsonl"),
                displayName);
        assertEquals(200, created.status(), created.text());
        return created.json().get("name").asText();
    }

    JsonNode batch(String name) {
        TestClient.Answer answer = get("/v1beta/" + name);
        assertEquals(200, answer.status(), answer.text());
        return answer.json();
    }

    static String state(JsonNode batch) {
        return batch.get("metadata").get("state").asText();
    }

    JsonNode awaitBatch(String name, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode batch = batch(name);
            if (condition.test(batch)) {
                return batch;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("batch " + name + " never reached the expected state: " + batch(name));
    }

    JsonNode awaitTerminal(String name) {
        return awaitBatch(name, batch -> TERMINAL.contains(state(batch)));
    }

    /** The lines of a generated file, parsed. */
    List<JsonNode> lines(String fileName) {
        TestClient.Answer answer = get("/download/v1beta/" + fileName + ":download?alt=media");
        assertEquals(200, answer.status(), answer.text());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : answer.text().split("\n")) {
            if (!line.isEmpty()) {
                try {
                    lines.add(TestClient.JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(line, e);
                }
            }
        }
        return lines;
    }

    static String line(String key, String userText) {
        try {
            return "{\"key\":" + TestClient.JSON.writeValueAsString(key) + ",\"request\":{\"contents\":[{\"role\":"
                    + "\"user\",\"parts\":[{\"text\":" + TestClient.JSON.writeValueAsString(userText) + "}]}]}}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} lines with keys {@code r-0} … and texts {@code question i}. */
    static String lines(int n) {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            jsonl.append(line("r-" + i, "question " + i)).append('\n');
        }
        return jsonl.toString();
    }
}
