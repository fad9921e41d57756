package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.Content;
import com.google.genai.types.EmbedContentBatch;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.InlinedEmbedContentResponse;
import com.google.genai.types.InlinedRequest;
import com.google.genai.types.InlinedResponse;
import com.google.genai.types.Part;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.CreateEmbeddingsBatchJobConfig;
import com.google.genai.types.EmbeddingsBatchJobSource;
import com.google.genai.types.File;
import com.google.genai.types.FileSource;
import com.google.genai.types.FileState;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.JobState;
import com.google.genai.types.ListBatchJobsConfig;
import com.google.genai.types.ListFilesConfig;
import com.google.genai.types.UploadFileConfig;
import com.google.genai.errors.ClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Google Gen AI Java SDK as the client of the emulator's Gemini API: upload, create
 * (content and embeddings), get, list, cancel, delete and download, all parsed by the SDK.
 */
class GeminiSdkEmulatorTest {

    private EmulatorServer emulator;
    private Client genai;

    @BeforeEach
    void start() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(50, 100, 50, 50))
                .withFaults(FaultPlan.parse("shuffle=false")));
        genai = Client.builder().apiKey("test-key").vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(emulator.geminiBaseUrl().toString()).apiVersion("v1beta")
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
                .build();
    }

    @AfterEach
    void stop() {
        if (genai != null) {
            genai.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void uploadCreateGetListDownload(@TempDir Path tmp) throws IOException {
        File uploaded = genai.files.upload(GeminiTestClient.lines(3).getBytes(StandardCharsets.UTF_8),
                UploadFileConfig.builder().mimeType("application/jsonl").displayName("shard-0").build());
        assertTrue(uploaded.name().orElseThrow().startsWith("files/"));
        assertEquals("shard-0", uploaded.displayName().orElseThrow());
        assertEquals(GeminiTestClient.lines(3).length(), uploaded.sizeBytes().orElseThrow());
        assertEquals(FileState.Known.ACTIVE, uploaded.state().orElseThrow().knownEnum());
        assertEquals(FileSource.Known.UPLOADED, uploaded.source().orElseThrow().knownEnum());
        assertTrue(uploaded.createTime().isPresent());
        assertEquals(uploaded.name(), genai.files.get(uploaded.name().orElseThrow(), null).name());

        BatchJob created = genai.batches.create("gemini-emu-flash",
                BatchJobSource.builder().fileName(uploaded.name().orElseThrow()).build(),
                CreateBatchJobConfig.builder().displayName("llm-batch:job-1:shard-0:1").build());
        String name = created.name().orElseThrow();
        assertTrue(name.startsWith("batches/"), name);
        assertEquals("llm-batch:job-1:shard-0:1", created.displayName().orElseThrow());
        assertEquals(JobState.Known.JOB_STATE_PENDING, created.state().orElseThrow().knownEnum());
        assertEquals("models/gemini-emu-flash", created.model().orElseThrow());

        BatchJob done = await(name, job -> job.endTime().isPresent());
        assertEquals(JobState.Known.JOB_STATE_SUCCEEDED, done.state().orElseThrow().knownEnum());
        assertTrue(done.createTime().isPresent() && done.updateTime().isPresent());
        String responsesFile = done.dest().orElseThrow().fileName().orElseThrow();
        assertEquals("files/batch-" + name.substring("batches/".length()), responsesFile);

        File generated = genai.files.get(responsesFile, null);
        assertEquals(FileSource.Known.GENERATED, generated.source().orElseThrow().knownEnum());
        assertTrue(generated.downloadUri().isPresent());
        Path downloaded = tmp.resolve("responses.jsonl");
        genai.files.download(responsesFile, downloaded.toString(), null);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(downloaded)) {
            lines.add(TestClient.JSON.readTree(line));
        }
        assertEquals(3, lines.size());
        assertEquals("r-2", lines.get(2).get("key").asText());
        assertEquals("[emulated] r-2: question 2", lines.get(2).get("response").get("candidates").get(0)
                .get("content").get("parts").get(0).get("text").asText());
        assertEquals(1, emulator.stats().outputFilesDownloaded());

        List<String> files = new ArrayList<>();
        genai.files.list(ListFilesConfig.builder().pageSize(1).build()).forEach(f -> files.add(f.name().orElseThrow()));
        assertEquals(List.of(responsesFile, uploaded.name().orElseThrow()), files, "every page, newest first");
    }

    @Test
    void listPagesThroughBatchesAndFindsOneByDisplayName() throws IOException {
        String file = genai.files.upload(GeminiTestClient.lines(1).getBytes(StandardCharsets.UTF_8),
                UploadFileConfig.builder().mimeType("application/jsonl").build()).name().orElseThrow();
        for (int i = 0; i < 5; i++) {
            genai.batches.create("gemini-emu-flash", BatchJobSource.builder().fileName(file).build(),
                    CreateBatchJobConfig.builder().displayName("key-" + i).build());
        }
        List<String> displayNames = new ArrayList<>();
        genai.batches.list(ListBatchJobsConfig.builder().pageSize(2).build())
                .forEach(job -> displayNames.add(job.displayName().orElseThrow()));
        assertEquals(List.of("key-4", "key-3", "key-2", "key-1", "key-0"), displayNames);
        assertEquals(List.of("key-0", "key-1", "key-2", "key-3", "key-4"), emulator.stats().batchDisplayNames());
    }

    @Test
    void cancelAndDeleteABatch() throws IOException {
        emulator.close();
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 60_000, 0, 0)));
        genai = Client.builder().apiKey("test-key").vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(emulator.geminiBaseUrl().toString()).apiVersion("v1beta")
                        .build()).build();
        String file = genai.files.upload(GeminiTestClient.lines(3).getBytes(StandardCharsets.UTF_8),
                UploadFileConfig.builder().mimeType("application/jsonl").build()).name().orElseThrow();
        String name = genai.batches.create("gemini-emu-flash", BatchJobSource.builder().fileName(file).build(),
                CreateBatchJobConfig.builder().displayName("to-cancel").build()).name().orElseThrow();
        await(name, job -> job.state().orElseThrow().knownEnum() == JobState.Known.JOB_STATE_RUNNING);
        genai.batches.cancel(name, null);
        BatchJob cancelled = await(name, job -> job.endTime().isPresent());
        assertEquals(JobState.Known.JOB_STATE_CANCELLED, cancelled.state().orElseThrow().knownEnum());
        assertFalse(cancelled.dest().flatMap(d -> d.fileName()).isPresent());

        genai.batches.delete(name, null);
        ClientException gone = org.junit.jupiter.api.Assertions.assertThrows(ClientException.class,
                () -> genai.batches.get(name, null));
        assertEquals(404, gone.code());
        assertEquals("NOT_FOUND", gone.status());
        genai.files.delete(file, null);
        assertFalse(genai.files.list(null).iterator().hasNext());
    }

    @Test
    void embeddingsBatchFromAFile(@TempDir Path tmp) throws IOException {
        String jsonl = "{\"key\":\"e1\",\"request\":{\"content\":{\"parts\":[{\"text\":\"hello\"}]},"
                + "\"outputDimensionality\":3}}\n";
        String file = genai.files.upload(jsonl.getBytes(StandardCharsets.UTF_8),
                UploadFileConfig.builder().mimeType("application/jsonl").build()).name().orElseThrow();
        BatchJob created = genai.batches.createEmbeddings("text-embedding-emu",
                EmbeddingsBatchJobSource.builder().fileName(file).build(),
                CreateEmbeddingsBatchJobConfig.builder().displayName("emb").build());
        BatchJob done = await(created.name().orElseThrow(), job -> job.endTime().isPresent());
        assertEquals(JobState.Known.JOB_STATE_SUCCEEDED, done.state().orElseThrow().knownEnum());
        Path downloaded = tmp.resolve("emb.jsonl");
        genai.files.download(done.dest().orElseThrow().fileName().orElseThrow(), downloaded.toString(), null);
        JsonNode line = TestClient.JSON.readTree(Files.readAllLines(downloaded).get(0));
        assertEquals(3, line.get("response").get("embedding").get("values").size());
    }

    @Test
    void inlineRequestsComeBackAsInlinedResponsesInOrder() {
        List<InlinedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(InlinedRequest.builder().contents(List.of(Content.fromParts(Part.fromText("inline " + i))))
                    .metadata(Map.of("key", "k" + i)).build());
        }
        BatchJob created = genai.batches.create("gemini-emu-flash",
                BatchJobSource.builder().inlinedRequests(requests).build(),
                CreateBatchJobConfig.builder().displayName("inline").build());
        BatchJob done = await(created.name().orElseThrow(), job -> job.endTime().isPresent());
        assertEquals(JobState.Known.JOB_STATE_SUCCEEDED, done.state().orElseThrow().knownEnum());
        List<InlinedResponse> responses = done.dest().orElseThrow().inlinedResponses().orElseThrow();
        assertEquals(3, responses.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("k" + i, responses.get(i).metadata().orElseThrow().get("key"));
            assertEquals("[emulated] k" + i + ": inline " + i, responses.get(i).response().orElseThrow().text());
        }
        assertTrue(responses.get(0).response().orElseThrow().usageMetadata().orElseThrow().totalTokenCount()
                .orElseThrow() > 0);
    }

    @Test
    void inlineEmbeddings() {
        BatchJob created = genai.batches.createEmbeddings("text-embedding-emu",
                EmbeddingsBatchJobSource.builder().inlinedRequests(EmbedContentBatch.builder()
                        .contents(List.of(Content.fromParts(Part.fromText("a")), Content.fromParts(Part.fromText("b"))))
                        .config(EmbedContentConfig.builder().outputDimensionality(5).build())).build(),
                CreateEmbeddingsBatchJobConfig.builder().displayName("emb-inline").build());
        BatchJob done = await(created.name().orElseThrow(), job -> job.endTime().isPresent());
        assertEquals(JobState.Known.JOB_STATE_SUCCEEDED, done.state().orElseThrow().knownEnum());
        List<InlinedEmbedContentResponse> responses = done.dest().orElseThrow().inlinedEmbedContentResponses()
                .orElseThrow();
        assertEquals(2, responses.size());
        List<Float> values = responses.get(1).response().orElseThrow().embedding().orElseThrow().values().orElseThrow();
        assertEquals(5, values.size());
        assertEquals(Responder.vector("b", 5)[0], values.get(0), 1e-6);
    }

    private BatchJob await(String name, Predicate<BatchJob> condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            BatchJob job = genai.batches.get(name, null);
            if (condition.test(job) || System.nanoTime() > deadline) {
                return job;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
