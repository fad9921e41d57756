package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-request and per-batch faults of the {@link FaultPlan}, as a client sees them in result files. */
class BatchFaultsTest {

    private EmulatorServer emulator;
    private TestClient client;

    private void start(String faults) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 0, 0, 0))
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
    void requestFaultsHitTheFirstRunOnlyExceptFail400() throws IOException {
        start("fail400=r-1;fail500=r-2;fail429=r-3;timeout=r-4;drop=r-5");
        JsonNode first = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(7)));
        assertEquals("completed", first.get("status").asText());
        assertEquals(7, first.get("request_counts").get("total").asInt());
        assertEquals(3, first.get("request_counts").get("completed").asInt(), "r-0, r-6 and the dropped r-5");
        assertEquals(4, first.get("request_counts").get("failed").asInt());

        Map<String, JsonNode> output = byCustomId(client.lines(first.get("output_file_id").asText()));
        assertEquals(Set.of("r-0", "r-6"), output.keySet());
        Map<String, JsonNode> errors = byCustomId(client.lines(first.get("error_file_id").asText()));
        assertEquals(Set.of("r-1", "r-2", "r-3", "r-4"), errors.keySet());
        assertHttpFailure(errors.get("r-1"), 400, "invalid_request_error");
        assertHttpFailure(errors.get("r-2"), 500, "server_error");
        assertHttpFailure(errors.get("r-3"), 429, "requests");
        JsonNode timeout = errors.get("r-4");
        assertTrue(timeout.get("response").isNull());
        assertEquals("request_timeout", timeout.get("error").get("code").asText());
        assertTrue(timeout.get("error").has("message"));
        assertEquals(6, emulator.stats().requestsProcessed(), "all but the timed-out request ran");

        // a retry of the same custom_ids in a new batch: only the permanent failure stays
        JsonNode retry = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(7)));
        assertEquals(6, retry.get("request_counts").get("completed").asInt());
        assertEquals(1, retry.get("request_counts").get("failed").asInt());
        Map<String, JsonNode> retried = byCustomId(client.lines(retry.get("output_file_id").asText()));
        assertEquals(Set.of("r-0", "r-2", "r-3", "r-4", "r-5", "r-6"), retried.keySet());
        assertEquals("[emulated] r-2: question 2", retried.get("r-2").get("response").get("body").get("choices")
                .get(0).get("message").get("content").asText());
        assertEquals(Set.of("r-1"), byCustomId(client.lines(retry.get("error_file_id").asText())).keySet());
        assertEquals(13, emulator.stats().requestsProcessed());
    }

    @Test
    void expiredBatchKeepsTheFirstHalfAndExpiresTheRest() throws IOException {
        start("expire=2;shuffle=false");
        JsonNode normal = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(2)));
        assertEquals("completed", normal.get("status").asText());

        JsonNode expired = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(10)));
        assertEquals("expired", expired.get("status").asText());
        assertFalse(expired.get("expired_at").isNull());
        assertTrue(expired.get("completed_at").isNull());
        assertTrue(expired.get("finalizing_at").isNull());
        assertEquals(10, expired.get("request_counts").get("total").asInt());
        assertEquals(5, expired.get("request_counts").get("completed").asInt());
        assertEquals(5, expired.get("request_counts").get("failed").asInt());
        List<JsonNode> output = client.lines(expired.get("output_file_id").asText());
        assertEquals(List.of("r-0", "r-1", "r-2", "r-3", "r-4"), output.stream()
                .map(line -> line.get("custom_id").asText()).toList());
        List<JsonNode> errors = client.lines(expired.get("error_file_id").asText());
        assertEquals(List.of("r-5", "r-6", "r-7", "r-8", "r-9"), errors.stream()
                .map(line -> line.get("custom_id").asText()).toList());
        for (JsonNode line : errors) {
            assertTrue(line.get("response").isNull());
            assertEquals("batch_expired", line.get("error").get("code").asText());
        }
    }

    @Test
    void allFailedBatchCompletesWithoutAnOutputFile() throws IOException {
        start("allFail=1");
        JsonNode batch = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(3)));
        assertEquals("completed", batch.get("status").asText());
        assertTrue(batch.get("output_file_id").isNull());
        assertFalse(batch.get("error_file_id").isNull());
        assertEquals(0, batch.get("request_counts").get("completed").asInt());
        assertEquals(3, batch.get("request_counts").get("failed").asInt());
        List<JsonNode> errors = client.lines(batch.get("error_file_id").asText());
        assertEquals(3, errors.size());
        errors.forEach(line -> assertHttpFailure(line, 500, "server_error"));

        JsonNode next = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(3)));
        assertEquals(3, next.get("request_counts").get("completed").asInt(), "only the first batch fails");
        assertTrue(next.get("error_file_id").isNull());
    }

    @Test
    void tokenLimitFailsTheBatch() throws IOException {
        start("tokenLimit=1");
        JsonNode batch = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(3)));
        assertEquals("failed", batch.get("status").asText());
        JsonNode errors = batch.get("errors").get("data");
        assertEquals(1, errors.size());
        JsonNode error = errors.get(0);
        assertEquals("token_limit_exceeded", error.get("code").asText());
        assertTrue(error.get("message").asText().startsWith("Enqueued token limit reached for gpt-emu in organization"),
                error.toString());
        assertTrue(error.get("param").isNull());
        assertTrue(error.get("line").isNull());
        assertEquals(0, emulator.stats().requestsProcessed());
        assertEquals(1, emulator.stats().batchesCreated(), "failed batches count as created");
    }

    @Test
    void droppedLinesLeaveAGap() throws IOException {
        start("drop=r-[0-4]");
        JsonNode batch = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(5)));
        assertEquals("completed", batch.get("status").asText());
        assertEquals(5, batch.get("request_counts").get("completed").asInt());
        assertTrue(batch.get("output_file_id").isNull(), "nothing was written");
        assertTrue(batch.get("error_file_id").isNull());
    }

    private static void assertHttpFailure(JsonNode line, int status, String type) {
        assertTrue(line.get("error").isNull(), line.toString());
        JsonNode response = line.get("response");
        assertEquals(status, response.get("status_code").asInt());
        assertTrue(response.get("request_id").asText().startsWith("req_"));
        JsonNode error = response.get("body").get("error");
        for (String key : List.of("message", "type", "param", "code")) {
            assertTrue(error.has(key), key);
        }
        assertEquals(type, error.get("type").asText());
    }

    private static Map<String, JsonNode> byCustomId(List<JsonNode> lines) {
        Map<String, JsonNode> map = new HashMap<>();
        for (JsonNode line : lines) {
            assertNull(map.put(line.get("custom_id").asText(), line), "custom_id twice: " + line);
        }
        return map;
    }
}
