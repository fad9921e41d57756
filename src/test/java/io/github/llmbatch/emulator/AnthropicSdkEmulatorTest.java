package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.ErrorObject;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.BatchListParams;
import com.anthropic.models.messages.batches.DeletedMessageBatch;
import com.anthropic.models.messages.batches.MessageBatch;
import com.anthropic.models.messages.batches.MessageBatchIndividualResponse;
import com.anthropic.models.messages.batches.MessageBatchRequestCounts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK as the client of the emulator's Message Batches routes: create,
 * retrieve, list (paging both ways), cancel, delete and the results stream, all parsed (and validated)
 * by the SDK; route faults and failed lines as the SDK sees them.
 */
class AnthropicSdkEmulatorTest {

    private EmulatorServer emulator;
    private AnthropicClient anthropic;

    private void start(String faults, EmulatorTimings timings, int maxRetries) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(timings)
                .withFaults(FaultPlan.parse(faults)));
        anthropic = AnthropicOkHttpClient.builder().apiKey("test-key").baseUrl(emulator.anthropicBaseUrl().toString())
                .maxRetries(maxRetries).build();
    }

    private void start(String faults) throws IOException {
        start(faults, new EmulatorTimings(50, 100, 50, 50), 0);
    }

    @AfterEach
    void stop() {
        if (anthropic != null) {
            anthropic.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    static BatchCreateParams requests(int n) {
        BatchCreateParams.Builder params = BatchCreateParams.builder();
        for (int i = 0; i < n; i++) {
            params.addRequest(BatchCreateParams.Request.builder().customId("r-" + i)
                    .params(BatchCreateParams.Request.Params.builder().model("claude-emu").maxTokens(256)
                            .system("Be terse.").addUserMessage("question " + i)
                            // this SDK version has no temperature setter; the wire field is still sent
                            .putAdditionalProperty("temperature", JsonValue.from(0.0)).build())
                    .build());
        }
        return params.build();
    }

    @Test
    void createRetrieveAndStreamResults() throws IOException {
        start("shuffle=false");
        MessageBatch created = anthropic.messages().batches().create(requests(3));
        created.validate();
        assertTrue(created.id().startsWith("msgbatch_"), created.id());
        assertEquals(MessageBatch.ProcessingStatus.IN_PROGRESS, created.processingStatus());
        assertEquals(3, created.requestCounts().processing());
        assertEquals(0, created.requestCounts().succeeded(), "counts stay 0 until the end");
        assertTrue(created.resultsUrl().isEmpty());
        assertTrue(created.endedAt().isEmpty());
        assertEquals(created.createdAt().plusHours(24), created.expiresAt());

        MessageBatch ended = await(created.id(), b -> b.processingStatus() == MessageBatch.ProcessingStatus.ENDED);
        ended.validate();
        MessageBatchRequestCounts counts = ended.requestCounts();
        assertEquals(List.of(0L, 3L, 0L, 0L, 0L), List.of(counts.processing(), counts.succeeded(), counts.errored(),
                counts.canceled(), counts.expired()));
        assertTrue(ended.endedAt().isPresent());
        assertEquals(emulator.anthropicBaseUrl() + "/v1/messages/batches/" + created.id() + "/results",
                ended.resultsUrl().orElseThrow());

        Map<String, MessageBatchIndividualResponse> results = results(created.id());
        assertEquals(3, results.size());
        Message message = results.get("r-2").result().asSucceeded().message();
        message.validate();
        assertEquals("[emulated] r-2: question 2", message.content().get(0).asText().text());
        assertEquals("claude-emu", message.model().asString());
        assertTrue(message.id().startsWith("msg_"));
        assertEquals("end_turn", message.stopReason().orElseThrow().asString());
        assertTrue(message.usage().inputTokens() > 0 && message.usage().outputTokens() > 0);
        assertEquals(1, emulator.stats().outputFilesDownloaded());
        assertEquals(List.of(List.of("r-0", "r-1", "r-2")), emulator.stats().anthropicBatchCustomIds());
        assertEquals(List.of("r-0", "r-1", "r-2"), emulator.stats().anthropicSucceededCustomIds());
    }

    @Test
    void failedLinesAreErroredResultsWithAnthropicsErrorTypes() throws IOException {
        start("fail400=r-0;fail500=r-1;fail429=r-2;overloaded=r-3");
        String id = anthropic.messages().batches().create(requests(5)).id();
        MessageBatch ended = await(id, b -> b.processingStatus() == MessageBatch.ProcessingStatus.ENDED);
        assertEquals(4, ended.requestCounts().errored());
        assertEquals(1, ended.requestCounts().succeeded());
        Map<String, MessageBatchIndividualResponse> results = results(id);
        assertTrue(errorOf(results.get("r-0")).isInvalidRequestError());
        assertTrue(errorOf(results.get("r-1")).isApiError());
        assertTrue(errorOf(results.get("r-2")).isRateLimitError());
        assertTrue(errorOf(results.get("r-3")).isOverloadedError());
        assertTrue(results.get("r-4").result().isSucceeded());
        assertEquals(List.of("r-4"), emulator.stats().anthropicSucceededCustomIds());
    }

    @Test
    void anExpiredBatchKeepsWhatRanAndTheRestExpires() throws IOException {
        start("expire=1;shuffle=false");
        String id = anthropic.messages().batches().create(requests(4)).id();
        MessageBatch ended = await(id, b -> b.processingStatus() == MessageBatch.ProcessingStatus.ENDED);
        assertEquals(2, ended.requestCounts().succeeded());
        assertEquals(2, ended.requestCounts().expired());
        Map<String, MessageBatchIndividualResponse> results = results(id);
        assertTrue(results.get("r-1").result().isSucceeded());
        assertTrue(results.get("r-2").result().isExpired());
        assertTrue(results.get("r-3").result().isExpired());
    }

    @Test
    void listPagesNewestFirstBothWays() throws IOException {
        start("");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(anthropic.messages().batches().create(requests(1)).id());
        }
        List<String> listed = new ArrayList<>();
        anthropic.messages().batches().list(BatchListParams.builder().limit(2).build()).autoPager()
                .forEach(batch -> listed.add(batch.id()));
        assertEquals(List.of(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0)), listed);

        var older = anthropic.messages().batches().list(BatchListParams.builder().limit(2).afterId(created.get(3))
                .build());
        assertEquals(List.of(created.get(2), created.get(1)), older.data().stream().map(MessageBatch::id).toList());
        assertTrue(older.hasMore().orElseThrow());
        assertEquals(created.get(2), older.firstId().orElseThrow());
        assertEquals(created.get(1), older.lastId().orElseThrow());
        var newer = anthropic.messages().batches().list(BatchListParams.builder().limit(2).beforeId(created.get(1))
                .build());
        assertEquals(List.of(created.get(3), created.get(2)), newer.data().stream().map(MessageBatch::id).toList());
        assertTrue(newer.hasMore().orElseThrow(), "created[4] is newer still");
    }

    @Test
    void cancelEndsTheBatchWithCanceledResultsAndDeleteRemovesIt() throws IOException {
        start("shuffle=false", new EmulatorTimings(0, 60_000, 0, 0), 0);
        String id = anthropic.messages().batches().create(requests(3)).id();
        assertThrows(BadRequestException.class, () -> anthropic.messages().batches().delete(id),
                "a batch still running cannot be deleted");
        MessageBatch canceling = anthropic.messages().batches().cancel(id);
        assertEquals(MessageBatch.ProcessingStatus.CANCELING, canceling.processingStatus());
        assertTrue(canceling.cancelInitiatedAt().isPresent());
        MessageBatch ended = await(id, b -> b.processingStatus() == MessageBatch.ProcessingStatus.ENDED);
        MessageBatchRequestCounts counts = ended.requestCounts();
        assertEquals(3, counts.canceled() + counts.succeeded(), "the first line may have run before the cancel");
        assertTrue(counts.canceled() >= 2);
        assertTrue(results(id).values().stream().allMatch(r -> r.result().isCanceled() || r.result().isSucceeded()));

        DeletedMessageBatch deleted = anthropic.messages().batches().delete(id);
        assertEquals(id, deleted.id());
        deleted.validate();
        assertThrows(NotFoundException.class, () -> anthropic.messages().batches().retrieve(id));
    }

    @Test
    void overloadedCreateIsRetriedByTheSdkHonouringRetryAfter() throws IOException {
        start("create=529x1;retryAfter=1", new EmulatorTimings(50, 100, 50, 50), 2);
        long started = System.nanoTime();
        MessageBatch created = anthropic.messages().batches().create(requests(1));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900, "waited for retry-after");
        assertEquals(1, emulator.stats().batchesCreated());
        assertEquals(created.id(), anthropic.messages().batches().retrieve(created.id()).id());
    }

    @Test
    void routeFaultsReachTheSdkWithTheirStatusAndType() throws IOException {
        start("create=529x1;retrieve=500x1");
        AnthropicServiceException overloaded = assertThrows(AnthropicServiceException.class,
                () -> anthropic.messages().batches().create(requests(1)));
        assertEquals(529, overloaded.statusCode());
        assertEquals("overloaded_error", overloaded.errorType().orElseThrow().asString());
        assertTrue(overloaded.requestId().orElseThrow().startsWith("req_"));
        assertEquals(0, emulator.stats().batchesCreated());
        String id = anthropic.messages().batches().create(requests(1)).id();
        AnthropicServiceException internal = assertThrows(AnthropicServiceException.class,
                () -> anthropic.messages().batches().retrieve(id));
        assertEquals(500, internal.statusCode());
        assertEquals("api_error", internal.errorType().orElseThrow().asString());
        assertEquals(id, anthropic.messages().batches().retrieve(id).id());
    }

    private static ErrorObject errorOf(MessageBatchIndividualResponse response) {
        return response.result().asErrored().error().error();
    }

    private Map<String, MessageBatchIndividualResponse> results(String id) {
        Map<String, MessageBatchIndividualResponse> byId = new HashMap<>();
        try (StreamResponse<MessageBatchIndividualResponse> stream = anthropic.messages().batches()
                .resultsStreaming(id)) {
            stream.stream().forEach(response -> {
                response.validate();
                assertFalse(byId.containsKey(response.customId()), "one line per request");
                byId.put(response.customId(), response);
            });
        }
        return byId;
    }

    private MessageBatch await(String id, Predicate<MessageBatch> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            MessageBatch batch = anthropic.messages().batches().retrieve(id);
            if (condition.test(batch)) {
                return batch;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("batch " + id + " never reached the expected state");
    }
}
