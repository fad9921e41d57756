package io.github.llmbatch.emulator;

import static io.github.llmbatch.emulator.FilesApiTest.assertError;
import static io.github.llmbatch.emulator.TestClient.chatLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Synchronous create errors, and the line problems that turn a batch {@code failed} after validating. */
class BatchValidationTest {

    private EmulatorServer emulator;
    private TestClient client;

    @BeforeEach
    void start() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withTimings(new EmulatorTimings(0, 0, 0, 0))
                .withLimits(EmulatorLimits.defaults().withMaxRequestsPerBatch(5).withMaxEmbeddingInputs(6)
                        .withMaxInputFileBytes(4000)));
        client = new TestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void createRejectsBadRequestsSynchronously() {
        String file = client.uploadJsonl(chatLine("a", "x") + "\n");
        assertError(client.createBatch("file-nope", "/v1/chat/completions", null), 400, "input_file_id");
        assertError(client.createBatch(file, "/v1/nonsense", null), 400, "endpoint");
        assertError(client.createBatch(file, "/v1/completions", null), 400, "endpoint"); // allowed, not emulated
        assertError(client.postJson("/batches", "{\"input_file_id\":\"" + file
                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"48h\"}"), 400, "completion_window");
        assertError(client.postJson("/batches", "{\"input_file_id\":\"" + file
                + "\",\"endpoint\":\"/v1/chat/completions\"}"), 400, "completion_window");
        assertError(client.postJson("/batches", "{\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}"),
                400, "input_file_id");
        assertError(client.postJson("/batches", "{\"input_file_id\":\"" + file
                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"colour\":1}"), 400, "colour");
        assertError(client.postJson("/batches", "{not json"), 400, null);
        assertError(client.createBatch(file, "/v1/chat/completions", "{\"k\":1}"), 400, "metadata");
        assertError(client.createBatch(file, "/v1/chat/completions", "{\"" + "k".repeat(65) + "\":\"v\"}"), 400,
                "metadata");
        assertError(client.createBatch(file, "/v1/chat/completions", "{\"k\":\"" + "v".repeat(513) + "\"}"), 400,
                "metadata");
        StringBuilder seventeen = new StringBuilder("{");
        for (int i = 0; i < 17; i++) {
            seventeen.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertError(client.createBatch(file, "/v1/chat/completions", seventeen.append('}').toString()), 400,
                "metadata");
        assertError(client.postJson("/batches", "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\","
                + "\"completion_window\":\"24h\",\"output_expires_after\":{\"anchor\":\"created_at\",\"seconds\":60}}"),
                400, "output_expires_after.seconds");
        String notBatch = client.upload("x.txt", "hi".getBytes(StandardCharsets.UTF_8), "user_data", Map.of())
                .json().get("id").asText();
        assertError(client.createBatch(notBatch, "/v1/chat/completions", null), 400, "input_file_id");
        assertEquals(0, emulator.stats().batchesCreated());

        // the limits that do pass: 16 pairs, 64-char keys, 512-char values; Azure's endpoint spelling
        StringBuilder sixteen = new StringBuilder("{");
        for (int i = 0; i < 15; i++) {
            sixteen.append("\"k").append(i).append("\":\"v\",");
        }
        sixteen.append("\"").append("k".repeat(64)).append("\":\"").append("v".repeat(512)).append("\"}");
        assertEquals(200, client.createBatch(file, "/v1/chat/completions", sixteen.toString()).status());
        assertEquals(200, client.createBatch(file, "/chat/completions", null).status());
        assertEquals(2, emulator.stats().batchesCreated());
    }

    @Test
    void invalidJsonLineIsReportedWithItsLineNumber() {
        JsonNode batch = failedBatch(chatLine("a", "x") + "\n" + chatLine("b", "y") + "\n{\"custom_id\": oops\n");
        JsonNode error = onlyError(batch, "invalid_json_line");
        assertEquals(3, error.get("line").asInt());
        assertEquals("This line is not parseable as valid JSON.", error.get("message").asText());
        assertTrue(error.get("param").isNull());
    }

    @Test
    void duplicateCustomIdIsReported() {
        JsonNode error = onlyError(failedBatch(chatLine("a", "x") + "\n" + chatLine("a", "y") + "\n"),
                "duplicate_custom_id");
        assertEquals(2, error.get("line").asInt());
    }

    @Test
    void urlMismatchIsReported() {
        String embeddingLine = "{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"gpt-emu\",\"input\":\"x\"}}";
        JsonNode error = onlyError(failedBatch(chatLine("a", "x") + "\n" + embeddingLine + "\n"), "url_mismatch");
        assertEquals(2, error.get("line").asInt());
    }

    @Test
    void modelMismatchIsReported() {
        JsonNode error = onlyError(failedBatch(chatLine("a", "m-1", "x") + "\n" + chatLine("b", "m-2", "y") + "\n"),
                "model_mismatch");
        assertEquals(2, error.get("line").asInt());
    }

    @Test
    void tooManyTasksIsReported() {
        JsonNode error = onlyError(failedBatch(TestClient.chatLines(6)), "too_many_tasks");
        assertTrue(error.get("line").isNull());
        assertTrue(error.get("message").asText().contains("6"), error.toString());
    }

    @Test
    void tooManyEmbeddingInputsAreReported() {
        String lines = "{\"custom_id\":\"e1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"emb\","
                + "\"input\":[\"a\",\"b\",\"c\",\"d\"]}}\n"
                + "{\"custom_id\":\"e2\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"emb\","
                + "\"input\":[\"e\",\"f\",\"g\"]}}\n";
        String file = client.uploadJsonl(lines);
        String id = client.createBatch(file, "/v1/embeddings", null).json().get("id").asText();
        JsonNode batch = client.awaitTerminal(id);
        assertEquals("failed", batch.get("status").asText());
        assertTrue(onlyError(batch, "too_many_tasks").get("message").asText().contains("embedding inputs"));
    }

    @Test
    void oversizedInputFileIsReported() {
        JsonNode batch = failedBatch(chatLine("a", "x".repeat(4100)) + "\n");
        assertEquals("file_too_large", onlyError(batch, "file_too_large").get("code").asText());
    }

    @Test
    void emptyFileIsReported() {
        onlyError(failedBatch("\n  \n"), "empty_file");
    }

    @Test
    void linesThatAreNotRequestsAreReported() {
        JsonNode batch = failedBatch("[1,2]\n"
                + "{\"custom_id\":\"a\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}\n"
                + "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n");
        JsonNode errors = batch.get("errors").get("data");
        assertEquals(3, errors.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("invalid_request", errors.get(i).get("code").asText());
            assertEquals(i + 1, errors.get(i).get("line").asInt());
        }
        assertEquals("method", errors.get(1).get("param").asText());
    }

    @Test
    void aValidFileDoesNotFail() {
        JsonNode batch = client.awaitTerminal(client.startChatBatch("\n" + TestClient.chatLines(5) + "\n"));
        assertEquals("completed", batch.get("status").asText());
        assertTrue(batch.get("errors").isNull());
        assertEquals(5, batch.get("request_counts").get("total").asInt());
    }

    private JsonNode failedBatch(String jsonl) {
        String id = client.startChatBatch(jsonl);
        JsonNode batch = client.awaitTerminal(id);
        assertEquals("failed", batch.get("status").asText(), batch.toString());
        assertFalse(batch.get("failed_at").isNull());
        assertTrue(batch.get("in_progress_at").isNull());
        assertTrue(batch.get("output_file_id").isNull());
        assertTrue(batch.get("error_file_id").isNull());
        assertEquals("list", batch.get("errors").get("object").asText());
        return batch;
    }

    private static JsonNode onlyError(JsonNode batch, String code) {
        JsonNode errors = batch.get("errors").get("data");
        assertEquals(1, errors.size(), errors.toString());
        JsonNode error = errors.get(0);
        assertEquals(code, error.get("code").asText());
        for (String key : new String[] {"code", "message", "param", "line"}) {
            assertTrue(error.has(key), key);
        }
        return error;
    }
}
