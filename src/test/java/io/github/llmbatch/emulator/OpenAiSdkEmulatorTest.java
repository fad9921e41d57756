package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbatch.cost.Tokenizer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchListParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileListPage;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.services.blocking.FileService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK as the client: everything the emulator answers must parse, with the
 * SDK's strict response validation switched on.
 */
class OpenAiSdkEmulatorTest {

    private static final JsonMapper SDK_JSON = ObjectMappers.jsonMapper();

    private EmulatorServer emulator;
    private OpenAIClient openai;

    @BeforeEach
    void start() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(50, 100, 50, 50)));
        openai = OpenAIOkHttpClient.builder()
                .baseUrl(emulator.baseUrl().toString())
                .apiKey("sk-emulated")
                .responseValidation(true)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    @AfterEach
    void stop() {
        openai.close();
        emulator.close();
    }

    @Test
    void chatBatchRoundTripThroughTheSdk(@TempDir Path tmp) throws IOException {
        Path requests = tmp.resolve("requests.jsonl");
        TestClient.write(requests, TestClient.chatLines(25));
        FileObject uploaded = openai.files().create(FileCreateParams.builder()
                .file(requests).purpose(FilePurpose.BATCH).build());
        assertTrue(uploaded.id().startsWith("file-"));
        assertEquals("requests.jsonl", uploaded.filename());
        assertEquals(Files.size(requests), uploaded.bytes());
        assertEquals(FileObject.Purpose.BATCH, uploaded.purpose());
        assertEquals(FileObject.Status.PROCESSED, uploaded.status());
        assertTrue(uploaded.expiresAt().isPresent());

        Batch created = openai.batches().create(BatchCreateParams.builder()
                .inputFileId(uploaded.id())
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .metadata(BatchCreateParams.Metadata.builder()
                        .putAdditionalProperty("idempotency_key", JsonValue.from("job-7/shard-0/attempt-1"))
                        .build())
                .build());
        assertEquals(Batch.Status.VALIDATING, created.status());
        assertEquals(uploaded.id(), created.inputFileId());

        Batch done = await(created.id(), batch -> batch.status().equals(Batch.Status.COMPLETED));
        assertEquals(25, done.requestCounts().orElseThrow().total());
        assertEquals(25, done.requestCounts().orElseThrow().completed());
        assertEquals(0, done.requestCounts().orElseThrow().failed());
        assertEquals("job-7/shard-0/attempt-1",
                done.metadata().orElseThrow()._additionalProperties().get("idempotency_key").asStringOrThrow());
        assertEquals("gpt-emu", done.model().orElseThrow());
        assertTrue(done.completedAt().isPresent());
        assertTrue(done.errorFileId().isEmpty());
        assertEquals(List.of("job-7/shard-0/attempt-1"), emulator.stats().batchMetadataValues("idempotency_key"));

        String outputId = done.outputFileId().orElseThrow();
        FileObject output = openai.files().retrieve(outputId);
        assertEquals(FileObject.Purpose.BATCH_OUTPUT, output.purpose());
        Set<String> answered = new HashSet<>();
        long batchTokens = 0;
        for (JsonNode line : download(outputId)) {
            String customId = line.get("custom_id").asText();
            ChatCompletion completion = SDK_JSON.treeToValue(line.get("response").get("body"), ChatCompletion.class)
                    .validate();
            assertEquals("gpt-emu", completion.model());
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
            assertEquals("[emulated] " + customId + ": question " + customId.substring(2),
                    completion.choices().get(0).message().content().orElseThrow());
            // counted as OpenAI does: the chat formula on the prompt (one user message), the answer's tokens
            String question = "question " + customId.substring(2);
            String answer = "[emulated] " + customId + ": " + question;
            Tokenizer o200k = Tokenizer.forModel("gpt-emu");
            long expectedTokens = 3 + o200k.count("user") + o200k.count(question) + 3 + o200k.count(answer);
            assertEquals(expectedTokens, completion.usage().orElseThrow().totalTokens(), customId);
            batchTokens += expectedTokens;
            answered.add(customId);
        }
        assertEquals(25, answered.size());
        assertEquals(batchTokens, done.usage().orElseThrow().totalTokens(), "the batch's usage is the sum of its lines'");
    }

    @Test
    void embeddingsBatchParsesAsEmbeddingResponses(@TempDir Path tmp) throws IOException {
        Path requests = tmp.resolve("embeddings.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            lines.append("{\"custom_id\":\"e-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",")
                    .append("\"body\":{\"model\":\"text-embed-emu\",\"input\":[\"doc ").append(i)
                    .append("\",\"other\"],\"dimensions\":16}}\n");
        }
        TestClient.write(requests, lines.toString());
        String file = openai.files().create(FileCreateParams.builder().file(requests).purpose(FilePurpose.BATCH)
                .build()).id();
        Batch batch = openai.batches().create(BatchCreateParams.builder().inputFileId(file)
                .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
        Batch done = await(batch.id(), b -> b.status().equals(Batch.Status.COMPLETED));
        List<JsonNode> output = download(done.outputFileId().orElseThrow());
        assertEquals(4, output.size());
        for (JsonNode line : output) {
            CreateEmbeddingResponse response = SDK_JSON.treeToValue(line.get("response").get("body"),
                    CreateEmbeddingResponse.class).validate();
            assertEquals(2, response.data().size());
            assertEquals(16, response.data().get(0).embedding().size());
            float[] expected = Responder.vector("other", 16);
            List<Float> actual = response.data().get(1).embedding();
            for (int i = 0; i < 16; i++) {
                assertEquals(expected[i], actual.get(i));
            }
        }
    }

    @Test
    void listingPaginatesCancelWorksAndFilesCanBeDeleted(@TempDir Path tmp) throws IOException {
        emulator.close();
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(60_000, 0, 0, 0)));
        openai.close();
        openai = OpenAIOkHttpClient.builder().baseUrl(emulator.baseUrl().toString()).apiKey("sk-emulated")
                .responseValidation(true).maxRetries(0).build();
        Path requests = tmp.resolve("requests.jsonl");
        TestClient.write(requests, TestClient.chatLines(2));
        String file = openai.files().create(FileCreateParams.builder().file(requests).purpose(FilePurpose.BATCH)
                .build()).id();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            created.add(openai.batches().create(BatchCreateParams.builder().inputFileId(file)
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                    .completionWindow(BatchCreateParams.CompletionWindow._24H).build()).id());
        }
        List<String> listed = openai.batches().list().autoPager().stream().map(Batch::id).collect(Collectors.toList());
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, listed, "the SDK's auto-pagination walks all pages, newest first");
        assertEquals(5, openai.batches().list(BatchListParams.builder().limit(5).build()).data().size());

        Batch cancelling = openai.batches().cancel(created.get(0));
        assertEquals(Batch.Status.CANCELLING, cancelling.status());
        assertTrue(cancelling.cancellingAt().isPresent());
        Batch cancelled = await(created.get(0), b -> b.status().equals(Batch.Status.CANCELLED));
        assertTrue(cancelled.cancelledAt().isPresent());
        assertThrows(BadRequestException.class, () -> openai.batches().cancel(created.get(0)));
        assertThrows(NotFoundException.class, () -> openai.batches().retrieve("batch_missing"));

        FileListPage firstPage = openai.files().list(FileListParams.builder().purpose("batch").build());
        assertEquals(List.of(file), firstPage.data().stream().map(FileObject::id).collect(Collectors.toList()));
        // The SDK pages on until a page is empty, and its strict validation wants string first_id/last_id
        // even there; the emulator answers null ids on an empty page (what to send is not documented), so
        // auto-pagination runs with the SDK's default, lenient validation.
        FileService lenientFiles = openai.files().withOptions(options -> options.responseValidation(false));
        List<FileObject> files = lenientFiles.list(FileListParams.builder().purpose("batch").build())
                .autoPager().stream().collect(Collectors.toList());
        assertEquals(List.of(file), files.stream().map(f -> f.validate().id()).collect(Collectors.toList()));
        FileDeleted deleted = openai.files().delete(file);
        assertTrue(deleted.deleted());
        assertEquals(file, deleted.id());
        assertThrows(NotFoundException.class, () -> openai.files().retrieve(file));
        assertFalse(lenientFiles.list().autoPager().stream().anyMatch(f -> f.id().equals(file)));
    }

    @Test
    void theSdkRetriesInjected429And503AfterRetryAfter(@TempDir Path tmp) throws IOException {
        emulator.close();
        emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withFaults(FaultPlan.parse("create=429x1;retrieve=503x1;retryAfter=1")));
        openai.close();
        openai = OpenAIOkHttpClient.builder().baseUrl(emulator.baseUrl().toString()).apiKey("sk-emulated")
                .responseValidation(true).maxRetries(2).build();
        Path requests = tmp.resolve("requests.jsonl");
        TestClient.write(requests, TestClient.chatLines(1));
        String file = openai.files().create(FileCreateParams.builder().file(requests).purpose(FilePurpose.BATCH)
                .build()).id();
        Batch batch = openai.batches().create(BatchCreateParams.builder().inputFileId(file)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
        assertEquals(Batch.Status.VALIDATING, batch.status());
        assertEquals(batch.id(), openai.batches().retrieve(batch.id()).id());
        assertEquals(1, emulator.stats().batchesCreated());
    }

    private Batch await(String id, Predicate<Batch> condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Batch batch = openai.batches().retrieve(id);
            if (condition.test(batch)) {
                return batch;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("batch " + id + " never got there: " + openai.batches().retrieve(id));
    }

    private List<JsonNode> download(String fileId) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (HttpResponse response = openai.files().content(fileId);
             BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertEquals(200, response.statusCode());
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(SDK_JSON.readTree(line));
            }
        }
        return lines;
    }
}
