package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator below {@code /openai/v1} behaves as Azure OpenAI (BATCH-PROTOCOLS.md §A.11). */
class AzureModeTest {

    private EmulatorServer emulator;
    private TestClient azure;

    private void start(EmulatorTimings timings, String faults) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(timings)
                .withFaults(FaultPlan.parse(faults)));
        azure = new TestClient(emulator.azureBaseUrl());
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private TestClient.Answer create(String fileId) {
        return azure.send(HttpRequest.newBuilder(URI.create(emulator.azureBaseUrl() + "/batches"))
                .header("api-key", "azure-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input_file_id\":\"" + fileId
                        + "\",\"endpoint\":\"/chat/completions\",\"completion_window\":\"24h\"}")).build());
    }

    private JsonNode awaitStatus(String id, String status) {
        return azure.awaitBatch(id, batch -> batch.get("status").asText().equals(status)
                || batch.get("status").asText().equals("Failed"));
    }

    @Test
    void aCleanBatchShowsAzuresShapesAndGetsAnEmptyErrorFile() throws IOException {
        start(new EmulatorTimings(300, 0, 0, 0), null);
        String file = azure.uploadJsonl(TestClient.chatLines(3));

        TestClient.Answer created = create(file);

        assertEquals(200, created.status(), created.text());
        JsonNode fresh = created.json();
        assertEquals("/chat/completions", fresh.get("endpoint").asText());
        assertEquals("Validating", fresh.get("status").asText());
        Instant.parse(fresh.get("created_at").asText());
        assertTrue(fresh.get("expires_at").isNull(), "Azure does not expire batches: " + fresh);
        for (String count : List.of("total", "completed", "failed")) {
            assertTrue(fresh.get("request_counts").get(count).isNull(), "not counted yet: " + fresh);
        }

        JsonNode done = awaitStatus(fresh.get("id").asText(), "Completed");
        assertEquals("Completed", done.get("status").asText(), done.toString());
        assertTrue(Instant.parse(done.get("created_at").asText())
                .compareTo(Instant.parse(done.get("completed_at").asText())) <= 0, done.toString());
        assertTrue(done.get("expires_at").isNull());
        assertEquals(3, done.get("request_counts").get("total").asInt());
        assertEquals(3, done.get("request_counts").get("completed").asInt());
        assertEquals(0, done.get("request_counts").get("failed").asInt());
        assertEquals(3, azure.lines(done.get("output_file_id").asText()).size());
        String errorFile = done.get("error_file_id").asText();
        assertEquals(0, azure.get("/files/" + errorFile).json().get("bytes").asInt());
        assertEquals("", azure.get("/files/" + errorFile + "/content").text());
    }

    @Test
    void anAzureBatchRunsToTheEndWhateverThePlanSaysAboutExpiry() throws IOException {
        start(new EmulatorTimings(0, 0, 0, 0), "expire=1");
        String file = azure.uploadJsonl(TestClient.chatLines(4));

        JsonNode done = awaitStatus(create(file).json().get("id").asText(), "Completed");

        assertEquals("Completed", done.get("status").asText(), done.toString());
        assertEquals(4, done.get("request_counts").get("completed").asInt());
        assertEquals(4, azure.lines(done.get("output_file_id").asText()).size());
    }

    @Test
    void theTwoServicesShareFilesButNotBatches() throws IOException {
        start(new EmulatorTimings(0, 0, 0, 0), null);
        TestClient openAi = new TestClient(emulator.baseUrl());
        String file = openAi.uploadJsonl(TestClient.chatLines(1));
        String id = create(file).json().get("id").asText();

        assertEquals(200, azure.get("/batches/" + id).status());
        assertEquals(404, openAi.get("/batches/" + id).status());
        assertEquals(0, openAi.get("/batches").json().get("data").size());
        assertEquals(id, azure.get("/batches").json().get("data").get(0).get("id").asText());
        // the dated surface is Azure's too
        TestClient dated = new TestClient(URI.create(emulator.azureBaseUrl().toString().replace("/openai/v1", "/openai")));
        assertEquals(200, dated.get("/batches/" + id + "?api-version=2024-10-21").status());
    }

    @Test
    void anAzureFileMayHoldAHundredThousandRequestsUnlessALimitIsSet(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("in.jsonl");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i <= EmulatorLimits.defaults().maxRequestsPerBatch(); i++) {
            jsonl.append(TestClient.chatLine("r-" + i, "q")).append('\n');
        }
        Files.writeString(input, jsonl);
        AzureBatchFormat format = new AzureBatchFormat(new OpenAiBatchFormat(new FileStore(dir.resolve("store"))));
        EmulatedBatch batch = new EmulatedBatch("batch_1", 1, format, "/v1/chat/completions", "file-1", "24h", null,
                null, null, null, false);

        InputValidator.Result azureDefault = format.validate(batch, input, EmulatorLimits.defaults());
        InputValidator.Result set = format.validate(batch, input, EmulatorLimits.defaults().withMaxRequestsPerBatch(10));

        assertEquals(List.of(), azureDefault.errors(), "over OpenAI's 50,000, within Azure's 100,000");
        assertEquals(EmulatorLimits.defaults().maxRequestsPerBatch() + 1L, azureDefault.requests());
        assertEquals("too_many_tasks", set.errors().get(0).code());
    }
}
