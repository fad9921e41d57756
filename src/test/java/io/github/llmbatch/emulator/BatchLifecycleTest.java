package io.github.llmbatch.emulator;

import static io.github.llmbatch.emulator.FilesApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchLifecycleTest {

    private static final List<String> BATCH_KEYS = List.of("id", "object", "endpoint", "model", "errors",
            "input_file_id", "completion_window", "status", "output_file_id", "error_file_id", "created_at",
            "in_progress_at", "expires_at", "finalizing_at", "completed_at", "failed_at", "expired_at",
            "cancelling_at", "cancelled_at", "request_counts", "usage", "metadata");

    private EmulatorServer emulator;
    private TestClient client;

    private void start(EmulatorTimings timings, String faults) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(timings)
                .withFaults(FaultPlan.parse(faults)));
        client = new TestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aBatchRunsToCompletedAndEachRequestGetsItsOwnAnswer() throws IOException {
        start(EmulatorTimings.defaults(), null);
        String file = client.uploadJsonl(TestClient.chatLines(40));
        TestClient.Answer created = client.postJson("/batches", "{\"input_file_id\":\"" + file + "\",\"endpoint\":"
                + "\"/v1/chat/completions\",\"completion_window\":\"24h\",\"metadata\":{\"job\":\"j-1\"},"
                + "\"output_expires_after\":{\"anchor\":\"created_at\",\"seconds\":7200}}");
        assertEquals(200, created.status(), created.text());
        assertEquals("true", created.header("x-llm-batch-emulator"));
        JsonNode fresh = created.json();
        assertEveryKey(fresh);
        assertEquals("validating", fresh.get("status").asText());
        assertTrue(fresh.get("id").asText().startsWith("batch_"));
        assertEquals(fresh.get("created_at").asLong() + 86_400, fresh.get("expires_at").asLong());
        assertEquals("j-1", fresh.get("metadata").get("job").asText());

        JsonNode done = client.awaitTerminal(fresh.get("id").asText());
        assertEveryKey(done);
        assertEquals("completed", done.get("status").asText());
        assertEquals("gpt-emu", done.get("model").asText());
        assertEquals(file, done.get("input_file_id").asText());
        assertEquals("24h", done.get("completion_window").asText());
        long created0 = done.get("created_at").asLong();
        long inProgress = done.get("in_progress_at").asLong();
        long finalizing = done.get("finalizing_at").asLong();
        long completed = done.get("completed_at").asLong();
        assertTrue(created0 <= inProgress && inProgress <= finalizing && finalizing <= completed, done.toString());
        for (String unset : List.of("failed_at", "expired_at", "cancelling_at", "cancelled_at", "errors",
                "error_file_id")) {
            assertTrue(done.get(unset).isNull(), unset);
        }
        assertEquals(40, done.get("request_counts").get("total").asInt());
        assertEquals(40, done.get("request_counts").get("completed").asInt());
        assertEquals(0, done.get("request_counts").get("failed").asInt());

        String outputId = done.get("output_file_id").asText();
        JsonNode outputFile = client.get("/files/" + outputId).json();
        assertEquals("batch_output", outputFile.get("purpose").asText());
        assertEquals(7200, outputFile.get("expires_at").asLong() - outputFile.get("created_at").asLong());
        List<JsonNode> lines = client.lines(outputId);
        assertEquals(40, lines.size());
        long promptTokens = 0;
        long completionTokens = 0;
        Set<String> seen = new HashSet<>();
        for (JsonNode line : lines) {
            String customId = line.get("custom_id").asText();
            assertTrue(seen.add(customId));
            assertTrue(line.get("id").asText().startsWith("batch_req_"));
            assertTrue(line.get("error").isNull());
            JsonNode response = line.get("response");
            assertEquals(200, response.get("status_code").asInt());
            assertTrue(response.get("request_id").asText().startsWith("req_"));
            JsonNode body = response.get("body");
            String question = "question " + customId.substring(2);
            assertEquals("[emulated] " + customId + ": " + question,
                    body.get("choices").get(0).get("message").get("content").asText());
            promptTokens += body.get("usage").get("prompt_tokens").asLong();
            completionTokens += body.get("usage").get("completion_tokens").asLong();
        }
        JsonNode usage = done.get("usage");
        assertEquals(promptTokens, usage.get("input_tokens").asLong());
        assertEquals(completionTokens, usage.get("output_tokens").asLong());
        assertEquals(promptTokens + completionTokens, usage.get("total_tokens").asLong());
        assertEquals(0, usage.get("input_tokens_details").get("cached_tokens").asLong());
        assertEquals(40, emulator.stats().requestsProcessed());
        assertEquals(List.of("j-1"), emulator.stats().batchMetadataValues("job"));
    }

    @Test
    void aBatchIsVisiblyInProgressAndThenFinalizing() throws IOException {
        start(new EmulatorTimings(0, 0, 60_000, 0), null);
        String id = client.startChatBatch(TestClient.chatLines(3));
        JsonNode finalizing = client.awaitBatch(id, batch -> batch.get("status").asText().equals("finalizing"));
        assertFalse(finalizing.get("finalizing_at").isNull());
        assertTrue(finalizing.get("output_file_id").isNull(), "result files appear when the batch is completed");
        assertEquals(3, finalizing.get("request_counts").get("completed").asInt());
    }

    @Test
    void cancellingWhileValidatingLeavesNoResults() throws IOException {
        start(new EmulatorTimings(60_000, 0, 0, 0), null);
        String id = client.startChatBatch(TestClient.chatLines(3));
        TestClient.Answer cancel = client.postJson("/batches/" + id + "/cancel", "");
        assertEquals(200, cancel.status(), cancel.text());
        assertEquals("cancelling", cancel.json().get("status").asText());
        assertFalse(cancel.json().get("cancelling_at").isNull());
        JsonNode cancelled = client.awaitTerminal(id);
        assertEquals("cancelled", cancelled.get("status").asText());
        assertFalse(cancelled.get("cancelled_at").isNull());
        assertTrue(cancelled.get("output_file_id").isNull());
        assertTrue(cancelled.get("error_file_id").isNull());
        assertTrue(cancelled.get("in_progress_at").isNull());
        assertEquals(0, cancelled.get("request_counts").get("total").asInt());
        assertEquals(0, emulator.stats().requestsProcessed());
    }

    @Test
    void cancellingACancellingBatchAgainChangesNothing() throws IOException {
        start(new EmulatorTimings(60_000, 0, 0, 60_000), null);
        String id = client.startChatBatch(TestClient.chatLines(1));
        JsonNode first = client.postJson("/batches/" + id + "/cancel", "").json();
        TestClient.Answer second = client.postJson("/batches/" + id + "/cancel", "");
        assertEquals(200, second.status(), second.text());
        assertEquals("cancelling", second.json().get("status").asText());
        assertEquals(first.get("cancelling_at"), second.json().get("cancelling_at"));
    }

    @Test
    void cancellingInProgressKeepsFinishedResultsAndCancelsTheRest() throws IOException {
        start(new EmulatorTimings(0, 40_000, 0, 0), null); // 20 lines spread over 40 s: one every 2 s
        String id = client.startChatBatch(TestClient.chatLines(20));
        client.awaitBatch(id, batch -> batch.get("request_counts").get("completed").asInt() >= 1);
        JsonNode cancelling = client.postJson("/batches/" + id + "/cancel", "").json();
        assertEquals("cancelling", cancelling.get("status").asText());
        JsonNode cancelled = client.awaitTerminal(id);
        assertEquals("cancelled", cancelled.get("status").asText());
        int succeeded = cancelled.get("request_counts").get("completed").asInt();
        int failed = cancelled.get("request_counts").get("failed").asInt();
        assertEquals(20, succeeded + failed);
        assertTrue(succeeded >= 1 && succeeded < 20, cancelled.toString());
        List<JsonNode> output = client.lines(cancelled.get("output_file_id").asText());
        List<JsonNode> errors = client.lines(cancelled.get("error_file_id").asText());
        assertEquals(succeeded, output.size());
        assertEquals(failed, errors.size());
        Set<String> all = new HashSet<>();
        output.forEach(line -> all.add(line.get("custom_id").asText()));
        for (JsonNode line : errors) {
            all.add(line.get("custom_id").asText());
            assertTrue(line.get("response").isNull());
            assertEquals("batch_cancelled", line.get("error").get("code").asText());
            assertTrue(line.get("error").has("message"));
        }
        assertEquals(20, all.size());
        assertEquals(succeeded, emulator.stats().requestsProcessed());

        TestClient.Answer again = client.postJson("/batches/" + id + "/cancel", "");
        assertError(again, 400, null);
        assertTrue(again.json().get("error").get("message").asText().contains("cancelled"));
        assertError(client.postJson("/batches/batch_nope/cancel", ""), 404, null);
    }

    @Test
    void resultsAreShuffledByDefault() throws IOException {
        start(new EmulatorTimings(0, 0, 0, 0), null);
        List<String> order = outputOrder(client.startChatBatch(TestClient.chatLines(300)));
        assertEquals(300, new HashSet<>(order).size());
        assertNotEquals(inputOrder(300), order);
    }

    @Test
    void shuffleFalseKeepsInputOrder() throws IOException {
        start(new EmulatorTimings(0, 0, 0, 0), "shuffle=false");
        assertEquals(inputOrder(300), outputOrder(client.startChatBatch(TestClient.chatLines(300))));
    }

    @Test
    void listsBatchesNewestFirstWithCursors() throws IOException {
        start(new EmulatorTimings(60_000, 0, 0, 0), null);
        String file = client.uploadJsonl(TestClient.chatLines(1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(client.createBatch(file, "/v1/chat/completions", "{\"n\":\"" + i + "\"}").json().get("id").asText());
        }
        JsonNode first = client.get("/batches").json();
        assertEquals("list", first.get("object").asText());
        assertEquals(20, first.get("data").size());
        assertTrue(first.get("has_more").asBoolean());
        assertEquals(ids.get(24), first.get("first_id").asText());
        assertEquals(ids.get(5), first.get("last_id").asText());
        JsonNode second = client.get("/batches?after=" + ids.get(5)).json();
        assertEquals(5, second.get("data").size());
        assertFalse(second.get("has_more").asBoolean());
        assertEquals(ids.get(0), second.get("last_id").asText());
        JsonNode small = client.get("/batches?limit=2&after=" + ids.get(2)).json();
        assertEquals(List.of(ids.get(1), ids.get(0)), List.of(small.get("data").get(0).get("id").asText(),
                small.get("data").get(1).get("id").asText()));
        assertFalse(small.get("has_more").asBoolean());
        assertError(client.get("/batches?limit=0"), 400, "limit");
        assertError(client.get("/batches?limit=101"), 400, "limit");
        assertError(client.get("/batches?after=batch_nope"), 400, "after");
        assertEquals(25, emulator.stats().batchesCreated());
        assertEquals(List.of("0", "1", "2"), emulator.stats().batchMetadataValues("n").subList(0, 3));
    }

    @Test
    void statsAreServedOverHttp() throws IOException {
        start(new EmulatorTimings(0, 0, 0, 0), null);
        String file = client.uploadJsonl(TestClient.chatLines(2));
        String id = client.createBatch(file, "/v1/chat/completions", "{\"key\":\"k-1\"}").json().get("id").asText();
        client.awaitTerminal(id);
        TestClient.Answer stats = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + emulator.port() + "/_emulator/stats")).GET().build());
        assertEquals(200, stats.status(), stats.text());
        JsonNode json = stats.json();
        assertEquals(1, json.get("filesUploaded").asInt());
        assertEquals(emulator.stats().batchFileNames().get(0), json.get("batchFileNames").get(0).asText());
        assertEquals(1, json.get("batchFileNames").size());
        assertEquals(1, json.get("batchesCreated").asInt());
        assertEquals(2, json.get("requestsProcessed").asInt());
        JsonNode batch = json.get("batches").get(0);
        assertEquals(id, batch.get("id").asText());
        assertEquals("completed", batch.get("status").asText());
        assertEquals("k-1", batch.get("metadata").get("key").asText());
    }

    private List<String> outputOrder(String batchId) {
        JsonNode done = client.awaitTerminal(batchId);
        assertEquals("completed", done.get("status").asText());
        List<String> order = new ArrayList<>();
        client.lines(done.get("output_file_id").asText()).forEach(line -> order.add(line.get("custom_id").asText()));
        return order;
    }

    private static List<String> inputOrder(int n) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add("r-" + i);
        }
        return order;
    }

    private static void assertEveryKey(JsonNode batch) {
        for (String key : BATCH_KEYS) {
            assertTrue(batch.has(key), "batch lacks " + key + ": " + batch);
        }
        assertEquals("batch", batch.get("object").asText());
        for (String key : List.of("total", "completed", "failed")) {
            assertTrue(batch.get("request_counts").has(key));
        }
    }
}
