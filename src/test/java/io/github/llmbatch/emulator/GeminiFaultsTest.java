package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link FaultPlan} on the Gemini routes: the same language as for OpenAI, plus {@code fileLag}. */
class GeminiFaultsTest {

    private EmulatorServer emulator;
    private GeminiTestClient gemini;

    private void start(String faults) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 0, 0, 0))
                .withFaults(FaultPlan.parse(faults)));
        gemini = new GeminiTestClient(emulator.geminiBaseUrl());
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void routeFaultsAnswerGoogleErrorsWithRetryInfo() throws IOException {
        start("upload=503x1;create=429x1;retrieve=500x2;retryAfter=3");
        TestClient.Answer refused = gemini.startUpload("f", 10);
        assertEquals(503, refused.status());
        JsonNode error = refused.json().get("error");
        assertEquals(503, error.get("code").asInt());
        assertEquals("UNAVAILABLE", error.get("status").asText());
        assertEquals("3s", error.get("details").get(0).get("retryDelay").asText());
        assertEquals("type.googleapis.com/google.rpc.RetryInfo", error.get("details").get(0).get("@type").asText());
        assertEquals("3", refused.header("Retry-After"));
        String file = gemini.upload(GeminiTestClient.lines(2), "shard");

        TestClient.Answer limited = gemini.createBatch("m", file, "key-1");
        assertEquals(429, limited.status());
        assertEquals("RESOURCE_EXHAUSTED", limited.json().get("error").get("status").asText());
        assertEquals(0, emulator.stats().batchesCreated(), "a refused create creates nothing");
        TestClient.Answer created = gemini.createBatch("m", file, "key-1");
        assertEquals(200, created.status(), created.text());
        String name = created.json().get("name").asText();

        for (int i = 0; i < 2; i++) {
            TestClient.Answer failed = gemini.get("/v1beta/" + name);
            assertEquals(500, failed.status());
            assertEquals("INTERNAL", failed.json().get("error").get("status").asText());
            assertFalse(failed.json().get("error").has("details"), "no RetryInfo on a 500");
        }
        assertEquals(200, gemini.get("/v1beta/" + name).status());
        assertEquals(List.of("key-1"), emulator.stats().batchDisplayNames());
    }

    @Test
    void lostAnswersLeaveTheBatchAndTheFileBehind() throws IOException {
        start("uploadLost=500;createLost=503");
        byte[] jsonl = GeminiTestClient.lines(2).getBytes(StandardCharsets.UTF_8);
        String url = gemini.startUpload("lost-upload", jsonl.length).header("x-goog-upload-url");
        TestClient.Answer lost = gemini.sendChunk(url, jsonl, 0, "upload, finalize");
        assertEquals(500, lost.status());
        assertEquals(1, emulator.stats().filesUploaded(), "the file is stored");
        JsonNode listed = gemini.get("/v1beta/files").json().get("files").get(0);
        assertEquals("lost-upload", listed.get("displayName").asText());
        TestClient.Answer asked = gemini.sendChunk(url, new byte[0], jsonl.length, "finalize");
        assertEquals(200, asked.status(), "the session answers its file again");
        String file = asked.json().get("file").get("name").asText();
        assertEquals(listed.get("name").asText(), file);

        TestClient.Answer lostCreate = gemini.createBatch("m", file, "shard-7-attempt-1");
        assertEquals(503, lostCreate.status());
        assertEquals(1, emulator.stats().batchesCreated(), "the batch is created");
        JsonNode operations = gemini.get("/v1beta/batches").json().get("operations");
        assertEquals(1, operations.size());
        assertEquals("shard-7-attempt-1", operations.get(0).get("metadata").get("displayName").asText());
        JsonNode done = gemini.awaitTerminal(operations.get(0).get("name").asText());
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(done));
    }

    @Test
    void lineFaultsHitTheFirstRunOnlyExceptFail400() throws IOException {
        start("fail400=r-1;fail500=r-2;fail429=r-3;timeout=r-4;drop=r-5");
        JsonNode first = gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(7), "first"));
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(first));
        JsonNode stats = first.get("metadata").get("batchStats");
        assertEquals("7", stats.get("requestCount").asText());
        assertEquals("3", stats.get("successfulRequestCount").asText(), "r-0, r-6 and the dropped r-5");
        assertEquals("4", stats.get("failedRequestCount").asText());
        Map<String, JsonNode> lines = byKey(gemini.lines(first.get("response").get("responsesFile").asText()));
        assertEquals(Set.of("r-0", "r-1", "r-2", "r-3", "r-4", "r-6"), lines.keySet());
        assertError(lines.get("r-1"), 400, "INVALID_ARGUMENT");
        assertError(lines.get("r-2"), 500, "INTERNAL");
        assertError(lines.get("r-3"), 429, "RESOURCE_EXHAUSTED");
        assertError(lines.get("r-4"), 504, "DEADLINE_EXCEEDED");
        assertTrue(lines.get("r-0").has("response"));

        JsonNode retry = gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(7), "retry"));
        Map<String, JsonNode> retried = byKey(gemini.lines(retry.get("response").get("responsesFile").asText()));
        assertEquals(7, retried.size());
        assertError(retried.get("r-1"), 400, "INVALID_ARGUMENT");
        assertEquals("[emulated] r-2: question 2", retried.get("r-2").get("response").get("candidates").get(0)
                .get("content").get("parts").get(0).get("text").asText());
    }

    @Test
    void anExpiredBatchHasNoResultsAndRunsNothing() throws IOException {
        start("expire=2");
        gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(2), "one"));
        int processed = emulator.stats().requestsProcessed();
        JsonNode expired = gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(6), "two"));
        assertEquals("BATCH_STATE_EXPIRED", GeminiTestClient.state(expired));
        assertTrue(expired.get("done").asBoolean());
        assertFalse(expired.get("metadata").has("output"));
        assertFalse(expired.has("response"));
        assertFalse(expired.has("error"));
        assertEquals(processed, emulator.stats().requestsProcessed(), "no request of an expired batch ran");
        JsonNode files = gemini.get("/v1beta/files?pageSize=100").json().get("files");
        long generated = 0;
        for (JsonNode file : files) {
            generated += file.get("source").asText().equals("GENERATED") ? 1 : 0;
        }
        assertEquals(1, generated, "only the first batch has a responses file");
    }

    @Test
    void allFailSucceedsWithEveryLineAnError() throws IOException {
        start("allFail=1");
        JsonNode done = gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(3), "all"));
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(done));
        assertEquals("3", done.get("metadata").get("batchStats").get("failedRequestCount").asText());
        for (JsonNode line : gemini.lines(done.get("response").get("responsesFile").asText())) {
            assertError(line, 500, "INTERNAL");
        }
    }

    @Test
    void tokenLimitFailsTheBatchWithResourceExhausted() throws IOException {
        start("tokenLimit=1");
        JsonNode failed = gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(3), "big"));
        assertEquals("BATCH_STATE_FAILED", GeminiTestClient.state(failed));
        assertEquals("RESOURCE_EXHAUSTED", failed.get("error").get("status").asText());
    }

    @Test
    void fileLagShowsSucceededWithoutTheResponsesFileForTheFirstPolls() throws IOException {
        start("fileLag=2");
        String name = gemini.startBatch(GeminiTestClient.lines(2), "lagging");
        JsonNode lagging = gemini.awaitBatch(name,
                batch -> GeminiTestClient.state(batch).equals("BATCH_STATE_SUCCEEDED"));
        assertFalse(lagging.get("metadata").has("output"));
        assertFalse(lagging.has("response"));
        JsonNode listed = gemini.get("/v1beta/batches").json().get("operations").get(0);
        assertFalse(listed.get("metadata").has("output"), "a list shows the lag without using it up");
        JsonNode second = gemini.batch(name);
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(second));
        assertFalse(second.has("response"));
        JsonNode third = gemini.batch(name);
        assertTrue(third.get("metadata").get("output").has("responsesFile"));
        assertTrue(third.get("response").has("responsesFile"));
        assertEquals(2, gemini.lines(third.get("response").get("responsesFile").asText()).size());
    }

    @Test
    void resultsAreShuffledByDefaultAndKeptInOrderOnRequest() throws IOException {
        start("");
        List<String> keys = gemini.lines(gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(40), "mixed"))
                .get("response").get("responsesFile").asText()).stream().map(l -> l.get("key").asText()).toList();
        assertEquals(40, Set.copyOf(keys).size());
        assertFalse(keys.equals(keys.stream().sorted(java.util.Comparator.comparingInt(
                k -> Integer.parseInt(k.substring(2)))).toList()), "shuffled");
    }

    @Test
    void damagedDownloadsHitGeminiResponsesFilesToo() throws IOException {
        start("truncateOutput=1;shuffle=false");
        JsonNode done = gemini.awaitTerminal(gemini.startBatch(GeminiTestClient.lines(4), "cut"));
        String path = "/v1beta/" + done.get("response").get("responsesFile").asText() + ":download?alt=media";
        String cut = gemini.get(path).text();
        String whole = gemini.get(path).text();
        assertTrue(whole.startsWith(cut) && cut.length() < whole.length());
        assertFalse(cut.endsWith("\n"));
    }

    @Test
    void fileLagIsACountAndDeleteBatchARoute() {
        assertTrue(FaultPlan.keys().containsAll(Set.of("fileLag", "deleteBatch")));
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FaultPlan.parse("fileLag=-1"));
        assertTrue(bad.getMessage().contains("fileLag"), bad.getMessage());
    }

    @Test
    void deleteBatchFaultsHitTheGeminiDelete() throws IOException {
        start("deleteBatch=500x1");
        String name = gemini.startBatch(GeminiTestClient.lines(1), "d");
        assertEquals(500, gemini.delete("/v1beta/" + name).status());
        assertEquals(200, gemini.delete("/v1beta/" + name).status());
        assertEquals(404, gemini.get("/v1beta/" + name).status());
    }

    private static void assertError(JsonNode line, int code, String status) {
        assertFalse(line.has("response"), line.toString());
        assertEquals(code, line.get("error").get("code").asInt(), line.toString());
        assertEquals(status, line.get("error").get("status").asText());
        assertTrue(line.get("error").get("message").asText().startsWith("[emulated]"));
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> lines) {
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode line : lines) {
            assertTrue(byKey.put(line.get("key").asText(), line) == null, "duplicate key " + line);
        }
        return byKey;
    }
}
