package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gemini Batch Mode over raw HTTP: files, the batch life-cycle, results, validation, auth. */
class GeminiBatchLifecycleTest {

    private EmulatorServer emulator;
    private GeminiTestClient gemini;

    private void start(String faults, EmulatorTimings timings) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(timings)
                .withFaults(FaultPlan.parse(faults)));
        gemini = new GeminiTestClient(emulator.geminiBaseUrl());
    }

    private void start(String faults) throws IOException {
        start(faults, new EmulatorTimings(0, 0, 0, 0));
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aBatchRunsFromPendingToSucceededWithAnswersInItsResponsesFile() throws IOException {
        start("shuffle=false", new EmulatorTimings(300, 300, 50, 50));
        String name = gemini.startBatch(GeminiTestClient.lines(3)
                + "{\"key\":\"sys\",\"request\":{\"system_instruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
                + "\"contents\":[{\"parts\":[{\"text\":\"Name a colour.\"}]}],"
                + "\"generation_config\":{\"maxOutputTokens\":5}}}\n", "shard-1");
        assertTrue(name.matches("batches/[a-z0-9]+"), name);

        JsonNode pending = gemini.batch(name);
        assertEquals("BATCH_STATE_PENDING", GeminiTestClient.state(pending));
        assertFalse(pending.has("done"));
        JsonNode metadata = pending.get("metadata");
        assertEquals("type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
                metadata.get("@type").asText());
        assertEquals("models/gemini-emu-flash", metadata.get("model").asText());
        assertEquals("shard-1", metadata.get("displayName").asText());
        assertEquals(name, metadata.get("name").asText());
        assertTrue(metadata.get("createTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertTrue(metadata.get("inputConfig").get("fileName").asText().startsWith("files/"));

        gemini.awaitBatch(name, batch -> GeminiTestClient.state(batch).equals("BATCH_STATE_RUNNING"));
        JsonNode done = gemini.awaitTerminal(name);
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(done));
        assertTrue(done.get("done").asBoolean());
        JsonNode stats = done.get("metadata").get("batchStats");
        assertEquals("4", stats.get("requestCount").asText(), "int64 counts are strings");
        assertTrue(stats.get("requestCount").isTextual());
        assertEquals("4", stats.get("successfulRequestCount").asText());
        assertFalse(stats.has("failedRequestCount"), "zero counts are left out");
        assertFalse(stats.has("pendingRequestCount"));
        assertTrue(done.get("metadata").has("endTime"));
        String responsesFile = done.get("metadata").get("output").get("responsesFile").asText();
        assertEquals("files/batch-" + name.substring("batches/".length()), responsesFile);
        assertEquals(responsesFile, done.get("response").get("responsesFile").asText());
        assertEquals("type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput",
                done.get("response").get("@type").asText());

        List<JsonNode> lines = gemini.lines(responsesFile);
        assertEquals(List.of("r-0", "r-1", "r-2", "sys"), lines.stream().map(l -> l.get("key").asText()).toList());
        JsonNode response = lines.get(1).get("response");
        assertEquals("[emulated] r-1: question 1",
                response.get("candidates").get(0).get("content").get("parts").get(0).get("text").asText());
        assertEquals("model", response.get("candidates").get(0).get("content").get("role").asText());
        assertEquals("STOP", response.get("candidates").get(0).get("finishReason").asText());
        JsonNode usage = response.get("usageMetadata");
        assertEquals(usage.get("promptTokenCount").asInt() + usage.get("candidatesTokenCount").asInt(),
                usage.get("totalTokenCount").asInt());
        assertEquals("gemini-emu-flash", response.get("modelVersion").asText());
        assertEquals("[emulated] sys: Name a colour.", lines.get(3).get("response").get("candidates").get(0)
                .get("content").get("parts").get(0).get("text").asText(), "a content without role is the user's");

        JsonNode file = gemini.get("/v1beta/" + responsesFile).json();
        assertEquals("GENERATED", file.get("source").asText());
        assertEquals("ACTIVE", file.get("state").asText());
        assertTrue(file.get("sizeBytes").isTextual());
        assertEquals(1, emulator.stats().batchesCreated());
        assertEquals(List.of("shard-1"), emulator.stats().batchDisplayNames());
        assertEquals(List.of("shard-1.jsonl"), emulator.stats().batchFileNames());
        assertEquals(1, emulator.stats().outputFilesDownloaded());
    }

    @Test
    void chunkedUploadsAnswerActiveThenFinalAndRefuseAWrongOffset() throws IOException {
        start("");
        byte[] first = (GeminiTestClient.line("a", "one") + "\n").getBytes();
        byte[] second = (GeminiTestClient.line("b", "two") + "\n").getBytes();
        TestClient.Answer started = gemini.startUpload("two-chunks", first.length + second.length);
        String url = started.header("x-goog-upload-url");
        assertTrue(url.startsWith(emulator.geminiBaseUrl() + "/upload/v1beta/files?upload_id="), url);

        TestClient.Answer active = gemini.sendChunk(url, first, 0, "upload");
        assertEquals(200, active.status(), active.text());
        assertEquals("active", active.header("x-goog-upload-status"));
        TestClient.Answer wrong = gemini.sendChunk(url, second, 3, "upload, finalize");
        assertEquals(400, wrong.status());
        assertEquals("INVALID_ARGUMENT", wrong.json().get("error").get("status").asText());
        TestClient.Answer last = gemini.sendChunk(url, second, first.length, "upload, finalize");
        assertEquals(200, last.status(), last.text());
        assertEquals("final", last.header("x-goog-upload-status"));
        JsonNode file = last.json().get("file");
        assertEquals("two-chunks", file.get("displayName").asText());
        assertEquals(Integer.toString(first.length + second.length), file.get("sizeBytes").asText());
        assertEquals("UPLOADED", file.get("source").asText());
        assertEquals("application/jsonl", file.get("mimeType").asText());

        TestClient.Answer again = gemini.sendChunk(url, new byte[0], first.length + second.length, "finalize");
        assertEquals(file.get("name").asText(), again.json().get("file").get("name").asText(),
                "a repeated finalize answers the same file");
        assertEquals(1, emulator.stats().filesUploaded());

        TestClient.Answer download = gemini.get("/v1beta/" + file.get("name").asText() + ":download?alt=media");
        assertEquals(400, download.status(), "uploaded files are not downloadable");
    }

    @Test
    void filesAreListedNewestFirstByPageAndCanBeDeleted() throws IOException {
        start("");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(gemini.upload(GeminiTestClient.lines(1), "f" + i));
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = gemini.get("/v1beta/files?pageSize=2" + (token == null ? "" : "&pageToken=" + token))
                    .json();
            assertTrue(page.get("files").size() <= 2);
            page.get("files").forEach(f -> listed.add(f.get("name").asText()));
            token = page.has("nextPageToken") ? page.get("nextPageToken").asText() : null;
        } while (token != null);
        assertEquals(List.of(names.get(4), names.get(3), names.get(2), names.get(1), names.get(0)), listed);

        assertEquals(200, gemini.delete("/v1beta/" + names.get(2)).status());
        TestClient.Answer gone = gemini.get("/v1beta/" + names.get(2));
        assertEquals(404, gone.status());
        assertEquals("NOT_FOUND", gone.json().get("error").get("status").asText());
        assertEquals(404, gone.json().get("error").get("code").asInt());
        assertEquals(4, gemini.get("/v1beta/files").json().get("files").size());
        assertEquals(0, new TestClient(emulator.baseUrl()).get("/files").json().get("data").size(),
                "Gemini files are not OpenAI files");
    }

    @Test
    void batchesAreListedAsOperationsNewestFirstByPage() throws IOException {
        start("");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(gemini.startBatch(GeminiTestClient.lines(1), "b" + i));
        }
        new TestClient(emulator.baseUrl()).startChatBatch(TestClient.chatLines(1));
        JsonNode first = gemini.get("/v1beta/batches?pageSize=2").json();
        assertEquals(2, first.get("operations").size());
        assertEquals(names.get(2), first.get("operations").get(0).get("name").asText());
        assertEquals("b1", first.get("operations").get(1).get("metadata").get("displayName").asText());
        JsonNode second = gemini.get("/v1beta/batches?pageSize=2&pageToken="
                + first.get("nextPageToken").asText()).json();
        assertEquals(1, second.get("operations").size(), "the OpenAI batch is not listed");
        assertEquals(names.get(0), second.get("operations").get(0).get("name").asText());
        assertFalse(second.has("nextPageToken"));
        assertEquals(4, emulator.stats().batchesCreated());
        assertEquals(1, new TestClient(emulator.baseUrl()).get("/batches").json().get("data").size());
    }

    @Test
    void cancelEndsABatchCancelledWithoutResultsAndDeleteRemovesIt() throws IOException {
        start("", new EmulatorTimings(0, 60_000, 0, 0));
        String name = gemini.startBatch(GeminiTestClient.lines(4), "to-cancel");
        gemini.awaitBatch(name, batch -> GeminiTestClient.state(batch).equals("BATCH_STATE_RUNNING"));
        TestClient.Answer cancelled = gemini.post("/v1beta/" + name + ":cancel", "");
        assertEquals(200, cancelled.status(), cancelled.text());
        assertEquals("{}", cancelled.text());
        JsonNode done = gemini.awaitTerminal(name);
        assertEquals("BATCH_STATE_CANCELLED", GeminiTestClient.state(done));
        assertTrue(done.get("done").asBoolean());
        assertFalse(done.get("metadata").has("output"));
        assertFalse(done.has("response"));

        TestClient.Answer again = gemini.post("/v1beta/" + name + ":cancel", "");
        assertEquals(400, again.status());
        assertEquals("FAILED_PRECONDITION", again.json().get("error").get("status").asText());

        assertEquals(200, gemini.delete("/v1beta/" + name).status());
        assertEquals(404, gemini.get("/v1beta/" + name).status());
        assertEquals(0, gemini.get("/v1beta/batches").json().get("operations").size());
    }

    @Test
    void aBrokenInputFileFailsTheBatchAndABadRequestFailsItsLine() throws IOException {
        start("shuffle=false");
        String broken = gemini.startBatch(GeminiTestClient.line("a", "x") + "\nnot json\n{\"request\":{}}\n"
                + GeminiTestClient.line("a", "y") + "\n", "broken");
        JsonNode failed = gemini.awaitTerminal(broken);
        assertEquals("BATCH_STATE_FAILED", GeminiTestClient.state(failed));
        JsonNode error = failed.get("error");
        assertEquals(400, error.get("code").asInt());
        assertEquals("INVALID_ARGUMENT", error.get("status").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains("line 2") && message.contains("line 3") && message.contains("line 4"), message);
        assertFalse(failed.has("response"));

        String partly = gemini.startBatch(GeminiTestClient.line("ok", "fine") + "\n{\"key\":\"bad\",\"request\":"
                + "{\"generationConfig\":{}}}\n{\"key\":\"none\"}\n", "partly");
        JsonNode done = gemini.awaitTerminal(partly);
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(done));
        assertEquals("2", done.get("metadata").get("batchStats").get("failedRequestCount").asText());
        List<JsonNode> lines = gemini.lines(done.get("response").get("responsesFile").asText());
        assertTrue(lines.get(0).has("response"));
        JsonNode lineError = lines.get(1).get("error");
        assertEquals("bad", lines.get(1).get("key").asText());
        assertEquals(400, lineError.get("code").asInt());
        assertEquals("INVALID_ARGUMENT", lineError.get("status").asText());
        assertFalse(lines.get(1).has("response"));
        assertEquals("none", lines.get(2).get("key").asText());
        assertTrue(lines.get(2).has("error"));
    }

    @Test
    void inlineRequestsRunInOrderAndAnswerInlinedResponsesWithTheirMetadata() throws IOException {
        start("fail400=k1");
        TestClient.Answer created = gemini.post("/v1beta/models/m:batchGenerateContent", "{\"batch\":{"
                + "\"display_name\":\"inline\",\"input_config\":{\"requests\":{\"requests\":["
                + "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"zero\"}]}]},\"metadata\":{\"key\":\"k0\"}},"
                + "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"one\"}]}]},\"metadata\":{\"key\":\"k1\"}},"
                + "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"two\"}]}]}}]}}}}");
        assertEquals(200, created.status(), created.text());
        assertFalse(created.json().get("metadata").has("inputConfig"));
        JsonNode done = gemini.awaitTerminal(created.json().get("name").asText());
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(done));
        JsonNode inlined = done.get("metadata").get("output").get("inlinedResponses").get("inlinedResponses");
        assertEquals(inlined, done.get("response").get("inlinedResponses").get("inlinedResponses"));
        assertEquals(3, inlined.size());
        assertEquals("k0", inlined.get(0).get("metadata").get("key").asText());
        assertEquals("[emulated] k0: zero", inlined.get(0).get("response").get("candidates").get(0).get("content")
                .get("parts").get(0).get("text").asText());
        assertEquals("INVALID_ARGUMENT", inlined.get(1).get("error").get("status").asText());
        assertEquals("k1", inlined.get(1).get("metadata").get("key").asText());
        assertFalse(inlined.get(2).has("metadata"), "no metadata given, none echoed");
        assertEquals("[emulated] 2: two", inlined.get(2).get("response").get("candidates").get(0).get("content")
                .get("parts").get(0).get("text").asText(), "a request without key is keyed by its position");
        assertEquals(0, gemini.get("/v1beta/files").json().get("files").size(), "inline batches make no file");

        TestClient.Answer both = gemini.post("/v1beta/models/m:batchGenerateContent", "{\"batch\":{"
                + "\"displayName\":\"x\",\"inputConfig\":{\"fileName\":\"files/a\",\"requests\":{\"requests\":["
                + "{\"request\":{}}]}}}}");
        assertEquals(400, both.status(), "exactly one of file_name and requests");
    }

    @Test
    void embeddingsBatchesAnswerWithDeterministicVectors() throws IOException {
        start("shuffle=false");
        String jsonl = "{\"key\":\"e1\",\"request\":{\"model\":\"models/emb\",\"content\":{\"parts\":[{\"text\":"
                + "\"hello\"}]},\"outputDimensionality\":4}}\n{\"key\":\"e2\",\"request\":{\"content\":{\"parts\":"
                + "[{\"text\":\"hello\"}]}}}\n";
        String file = gemini.upload(jsonl, "emb");
        TestClient.Answer created = gemini.post("/v1beta/models/emb:asyncBatchEmbedContent",
                "{\"batch\":{\"displayName\":\"emb\",\"inputConfig\":{\"file_name\":\"" + file + "\"}}}");
        assertEquals(200, created.status(), created.text());
        assertEquals("type.googleapis.com/google.ai.generativelanguage.v1main.EmbedContentBatch",
                created.json().get("metadata").get("@type").asText());
        JsonNode done = gemini.awaitTerminal(created.json().get("name").asText());
        assertEquals("BATCH_STATE_SUCCEEDED", GeminiTestClient.state(done));
        List<JsonNode> lines = gemini.lines(done.get("metadata").get("output").get("responsesFile").asText());
        JsonNode four = lines.get(0).get("response").get("embedding").get("values");
        JsonNode eight = lines.get(1).get("response").get("embedding").get("values");
        assertEquals(4, four.size());
        assertEquals(Responder.DEFAULT_DIMENSIONS, eight.size());
        float[] expected = Responder.vector("hello", 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], (float) four.get(i).asDouble(), 1e-6);
        }
    }

    @Test
    void callsNeedAKeyAndAnswerGoogleErrors() throws IOException {
        start("");
        TestClient.Answer noKey = gemini.send(HttpRequest.newBuilder(URI.create(emulator.geminiBaseUrl()
                + "/v1beta/batches")).GET().build());
        assertEquals(403, noKey.status());
        assertEquals("PERMISSION_DENIED", noKey.json().get("error").get("status").asText());
        TestClient.Answer queryKey = gemini.send(HttpRequest.newBuilder(URI.create(emulator.geminiBaseUrl()
                + "/v1beta/batches?key=abc")).GET().build());
        assertEquals(200, queryKey.status(), queryKey.text());

        TestClient.Answer noFile = gemini.createBatch("m", "files/nosuch", "x");
        assertEquals(400, noFile.status());
        assertEquals("INVALID_ARGUMENT", noFile.json().get("error").get("status").asText());
        TestClient.Answer noName = gemini.post("/v1beta/models/m:batchGenerateContent",
                "{\"batch\":{\"inputConfig\":{\"fileName\":\"files/x\"}}}");
        assertEquals(400, noName.status());
        assertTrue(noName.json().get("error").get("message").asText().contains("display_name"));
        TestClient.Answer unknown = gemini.post("/v1beta/models/m:batchGenerateContent",
                "{\"batch\":{\"displayName\":\"x\",\"bogus\":1}}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("error").get("message").asText().contains("bogus"));
        assertEquals(404, gemini.get("/v1beta/batches/nosuch").status());
        assertEquals(404, gemini.get("/v1beta/nothing").status());
        assertNull(emulator.stats().batchDisplayNames().isEmpty() ? null : "created");
    }
}
