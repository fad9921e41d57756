package io.github.llmbatch.provider.gemini;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Received;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import io.github.llmbatch.provider.UserAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.github.llmbatch.TestJson.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiProviderTest {

    private static final String KEY = "AIzaSyTest-Zq81nXw0pLr5";

    /** Waits the transport asked for, recorded instead of slept. */
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private HttpTransport transport(int retries) {
        return new HttpTransport(HttpTransport.defaultClient(),
                new RetryPolicy(retries, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMinutes(5)),
                waits::add, Clock.systemUTC(), () -> 0.5);
    }

    private GeminiProvider provider(ScriptedServer server) {
        return new GeminiProvider(server.uri("").toString(), KEY, transport(2), clock, Duration.ofMinutes(30));
    }

    // ---- wire shapes (§C.1, §C.3, §C.5) -------------------------------------------------------

    private static String fileJson(String id, String displayName, long bytes, String created) {
        return "{\"name\":\"files/" + id + "\",\"displayName\":\"" + displayName + "\",\"mimeType\":\"application/jsonl\","
                + "\"sizeBytes\":\"" + bytes + "\",\"createTime\":\"" + created + "\",\"updateTime\":\"" + created + "\","
                + "\"expirationTime\":\"2026-01-03T00:00:00Z\",\"sha256Hash\":\"AAAA\",\"uri\":\"https://x/files/" + id
                + "\",\"state\":\"ACTIVE\",\"source\":\"UPLOADED\"}";
    }

    private static String batchJson(String id, String state, String displayName, String responsesFile) {
        return "{\"name\":\"batches/" + id + "\",\"metadata\":{\"@type\":\"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch\","
                + "\"model\":\"models/gemini-x-flash\",\"displayName\":\"" + displayName + "\",\"inputConfig\":{\"fileName\":\"files/in42\"},"
                + (responsesFile == null ? "" : "\"output\":{\"responsesFile\":\"" + responsesFile + "\"},")
                + "\"createTime\":\"2026-01-01T00:00:00.123456789Z\",\"updateTime\":\"2026-01-01T00:09:00Z\","
                + "\"batchStats\":{\"requestCount\":\"31\",\"successfulRequestCount\":\"29\",\"failedRequestCount\":\"2\"},"
                + "\"state\":\"" + state + "\",\"name\":\"batches/" + id + "\"}"
                + (responsesFile == null ? "" : ",\"done\":true,\"response\":{\"@type\":\"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput\",\"responsesFile\":\"" + responsesFile + "\"}")
                + "}";
    }

    private static String page(String itemsKey, List<String> items, String nextPageToken) {
        return "{\"" + itemsKey + "\":[" + String.join(",", items) + "]"
                + (nextPageToken == null ? "" : ",\"nextPageToken\":\"" + nextPageToken + "\"") + "}";
    }

    private static List<String> calls(ScriptedServer server) {
        return server.received().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    // ---- upload -------------------------------------------------------------------------------

    @Test
    void uploadStartsAResumableSessionAndFinalizesItInOneShot(@TempDir Path dir) throws Exception {
        byte[] content = "{\"key\":\"a\",\"request\":{}}\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("shard-0001.jsonl"), content);
        String[] session = new String[1];
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.path().equals("/upload/v1beta/files") && "start".equals(r.header("X-Goog-Upload-Command"))) {
                return Reply.json(200, "{}").withHeader("x-goog-upload-url", session[0]);
            }
            return Reply.json(200, "{\"file\":" + fileJson("in42", "job-1-shard-0001.jsonl", content.length,
                    "2026-01-01T00:00:10.5Z") + "}").withHeader("x-goog-upload-status", "final");
        })) {
            session[0] = server.uri("/upload/v1beta/files?upload_id=u-77&upload_protocol=resumable").toString();
            RemoteFile uploaded = provider(server).upload(file, "job-1-shard-0001.jsonl");

            assertEquals(new RemoteFile("files/in42", "job-1-shard-0001.jsonl", content.length, 1767225610), uploaded);
            List<Received> received = server.received();
            assertEquals(2, received.size());
            Received start = received.get(0);
            assertEquals("POST", start.method());
            assertEquals("/upload/v1beta/files", start.path());
            assertEquals(KEY, start.header("x-goog-api-key"));
            assertNull(start.header("Authorization"));
            assertEquals(UserAgent.VALUE, start.header("User-Agent"));
            assertEquals("resumable", start.header("X-Goog-Upload-Protocol"));
            assertEquals(Long.toString(content.length), start.header("X-Goog-Upload-Header-Content-Length"));
            assertEquals("application/jsonl", start.header("X-Goog-Upload-Header-Content-Type"));
            assertTrue(start.header("Content-Type").startsWith("application/json"));
            assertEquals("job-1-shard-0001.jsonl", at(TestJson.parse(start.body()), "file", "displayName"));
            Received bytes = received.get(1);
            assertEquals("POST", bytes.method());
            assertEquals("/upload/v1beta/files", bytes.path());
            assertEquals("u-77", bytes.queryParam("upload_id"));
            assertEquals("upload, finalize", bytes.header("X-Goog-Upload-Command"));
            assertEquals("0", bytes.header("X-Goog-Upload-Offset"));
            assertEquals(KEY, bytes.header("x-goog-api-key"));
            assertArrayEquals(content, bytes.body());
        }
    }

    @Test
    void anUploadUrlOnAnotherServerDoesNotGetTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.jsonl"), "{}\n");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, "{}")
                .withHeader("x-goog-upload-url", "https://elsewhere.test/upload?upload_id=1"))) {
            MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
                    () -> provider(server).upload(file, "s.jsonl"));
            assertTrue(e.getMessage().contains("elsewhere.test"), e.getMessage());
            assertEquals(1, server.received().size());
        }
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, "{}"))) {
            MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
                    () -> provider(server).upload(file, "s.jsonl"));
            assertTrue(e.getMessage().contains("x-goog-upload-url"), e.getMessage());
        }
    }

    @Test
    void aFinalizeWhoseAnswerWasLostFindsTheStoredFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.jsonl"), "{\"key\":\"a\"}\n");
        long size = Files.size(file);
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        try (ScriptedServer server = new ScriptedServer(r -> {
            if ("start".equals(r.header("X-Goog-Upload-Command"))) {
                return Reply.json(200, "{}").withHeader("x-goog-upload-url", "/upload/v1beta/files?upload_id=s1");
            }
            if (r.method().equals("POST")) {
                // stored, but the answer is lost
                stored.add(fileJson("f2", "llm-batch-k1.jsonl", size, "2026-01-01T00:00:02Z"));
                return Reply.json(503, "{\"error\":{\"code\":503,\"message\":\"try later\",\"status\":\"UNAVAILABLE\"}}");
            }
            List<String> files = new ArrayList<>(stored);
            // an earlier upload under the same name with other content
            files.add(0, fileJson("f1", "llm-batch-k1.jsonl", size + 1, "2026-01-01T00:00:01Z"));
            return Reply.json(200, page("files", files, null));
        })) {
            RemoteFile found = provider(server).upload(file, "llm-batch-k1.jsonl");

            assertEquals("files/f2", found.id());
            assertEquals(size, found.bytes());
            assertEquals(List.of("POST /upload/v1beta/files", "POST /upload/v1beta/files", "GET /v1beta/files"),
                    calls(server));
        }
    }

    @Test
    void findUploadedFileReturnsTheNewestWithThatNameAcrossPages() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> {
            String token = r.queryParam("pageToken");
            if (token == null) {
                return Reply.json(200, page("files", List.of(fileJson("f9", "other.jsonl", 1, "2026-01-01T00:15:00Z"),
                        fileJson("f8", "s1.jsonl", 1, "2026-01-01T00:13:20Z")), "t-2"));
            }
            if (token.equals("t-2")) {
                return Reply.json(200, page("files", List.of(fileJson("f7", "s1.jsonl", 1, "2026-01-01T00:15:50Z")), "t-3"));
            }
            return Reply.json(200, page("files", List.of(fileJson("f6", "s1.jsonl", 1, "2026-01-01T00:10:00Z")), null));
        })) {
            assertEquals("files/f7", provider(server).findUploadedFile("s1.jsonl").orElseThrow().id());
            List<Received> calls = server.received();
            assertEquals(Stream.of(null, "t-2", "t-3").toList(), calls.stream().map(c -> c.queryParam("pageToken")).toList());
            calls.forEach(c -> assertEquals("/v1beta/files", c.path()));
            calls.forEach(c -> assertEquals("100", c.queryParam("pageSize")));
            assertEquals(Optional.empty(), provider(server).findUploadedFile("never.jsonl"));
        }
    }

    // ---- create and find ------------------------------------------------------------------------

    @Test
    void createSendsTheKeyAsDisplayNameAndTheFile() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("q7w2e9", "BATCH_STATE_PENDING", "job7-s3-a1", null)))) {
            RemoteBatch batch = provider(server).createBatch(
                    new CreateBatch("chat", "files/in42", null, "gemini-x-flash", "job7-s3-a1"));

            assertEquals("batches/q7w2e9", batch.id());
            assertEquals(BatchState.VALIDATING, batch.state());
            assertEquals("job7-s3-a1", batch.idempotencyKey());
            Received request = server.received().get(0);
            assertEquals("POST", request.method());
            assertEquals("/v1beta/models/gemini-x-flash:batchGenerateContent", request.path());
            assertEquals(KEY, request.header("x-goog-api-key"));
            assertTrue(request.header("Content-Type").startsWith("application/json"));
            assertEquals(Map.of("batch", Map.of("displayName", "job7-s3-a1", "inputConfig", Map.of("fileName", "files/in42"))),
                    TestJson.parse(request.body()));
        }
    }

    @Test
    void embeddingsAreCreatedWithAsyncBatchEmbedContent() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("e1", "BATCH_STATE_PENDING", "k", null)))) {
            provider(server).createBatch(new CreateBatch("embeddings", "files/in1", null,
                    "models/gemini-embedding-001", "k"));
            assertEquals("/v1beta/models/gemini-embedding-001:asyncBatchEmbedContent", server.received().get(0).path());
            assertThrows(IllegalArgumentException.class, () -> provider(server).createBatch(
                    new CreateBatch("/v1/responses", "files/in1", null, "m", "k")));
        }
    }

    @Test
    void aRetriedCreateFindsTheBatchTheLostAnswerMade() throws Exception {
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.method().equals("POST")) {
                created.add(batchJson("b1", "BATCH_STATE_PENDING", "job7-s3-a1", null));
                return Reply.drop();
            }
            List<String> all = new ArrayList<>(created);
            all.add(batchJson("old", "BATCH_STATE_SUCCEEDED", "other", "files/batch-old"));
            return Reply.json(200, page("operations", all, null));
        })) {
            RemoteBatch batch = provider(server).createBatch(
                    new CreateBatch("chat", "files/in42", null, "gemini-x-flash", "job7-s3-a1"));

            assertEquals("batches/b1", batch.id());
            assertEquals(List.of("POST /v1beta/models/gemini-x-flash:batchGenerateContent", "GET /v1beta/batches"),
                    calls(server));
        }
    }

    @Test
    void aRetriedCreateThatFindsNothingCreatesOnce() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.method().equals("GET")) {
                return Reply.json(200, page("operations", List.of(), null));
            }
            return posts.incrementAndGet() == 1
                    ? Reply.json(429, "{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
                    : Reply.json(200, batchJson("b2", "BATCH_STATE_PENDING", "k2", null));
        })) {
            RemoteBatch batch = provider(server).createBatch(new CreateBatch("chat", "files/f", null, "m", "k2"));

            assertEquals("batches/b2", batch.id());
            assertEquals(List.of("POST /v1beta/models/m:batchGenerateContent", "GET /v1beta/batches",
                    "POST /v1beta/models/m:batchGenerateContent"), calls(server));
        }
    }

    @Test
    void findBatchPagesWithPageTokenUntilTheNameTurnsUp() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> {
            String token = r.queryParam("pageToken");
            if (token == null) {
                return Reply.json(200, page("operations", List.of(batchJson("b5", "BATCH_STATE_SUCCEEDED", "k5", "files/batch-b5")), "p2"));
            }
            if (token.equals("p2")) {
                return Reply.json(200, page("operations", List.of(batchJson("b2", "BATCH_STATE_RUNNING", "wanted", null)), "p3"));
            }
            return Reply.json(200, page("operations", List.of(), null));
        })) {
            RemoteBatch found = provider(server).findBatch("wanted").orElseThrow();

            assertEquals("batches/b2", found.id());
            assertEquals(BatchState.IN_PROGRESS, found.state());
            assertEquals(Stream.of(null, "p2").toList(), server.received().stream().map(c -> c.queryParam("pageToken")).toList());
            server.received().forEach(c -> assertEquals("/v1beta/batches", c.path()));
            server.received().forEach(c -> assertEquals("100", c.queryParam("pageSize")));
            assertEquals(Optional.empty(), provider(server).findBatch("absent"));
            assertEquals(5, server.received().size(), "every page read before saying no");
        }
    }

    @Test
    void aRepeatedPageTokenIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, page("operations", List.of(), "same")))) {
            IOException e = assertThrows(IOException.class, () -> provider(server).findBatch("absent"));
            assertTrue(e.getMessage().contains("did not advance"), e.getMessage());
            assertEquals(2, server.received().size());
        }
    }

    // ---- get: states, counts, responses file ----------------------------------------------------

    @Test
    void readsTheComposedFinishedBatch() throws Exception {
        // §C.3 composed example, verbatim
        String finished = "{\"name\":\"batches/q7w2e9\",\"metadata\":{\"@type\":\"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch\",\"model\":\"models/gemini-x-flash\",\"displayName\":\"demo\",\"inputConfig\":{\"fileName\":\"files/in42\"},\"output\":{\"responsesFile\":\"files/batch-q7w2e9\"},\"createTime\":\"2026-01-01T00:00:00.123456789Z\",\"updateTime\":\"2026-01-01T00:09:00Z\",\"endTime\":\"2026-01-01T00:09:00Z\",\"batchStats\":{\"requestCount\":\"2\",\"successfulRequestCount\":\"2\"},\"state\":\"BATCH_STATE_SUCCEEDED\",\"name\":\"batches/q7w2e9\"},\"done\":true,\"response\":{\"@type\":\"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput\",\"responsesFile\":\"files/batch-q7w2e9\"}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, finished))) {
            RemoteBatch batch = provider(server).getBatch("batches/q7w2e9");

            assertEquals(new RemoteBatch("batches/q7w2e9", BatchState.COMPLETED, "BATCH_STATE_SUCCEEDED", 2, 2, 0,
                    "files/batch-q7w2e9", null, List.of(), "demo"), batch);
            assertEquals("GET /v1beta/batches/q7w2e9", calls(server).get(0));
            provider(server).getBatch("q7w2e9");
            assertEquals("/v1beta/batches/q7w2e9", server.received().get(1).path(), "a bare id works too");
        }
    }

    @Test
    void int64CountsComeAsStringsOrNumbers() throws Exception {
        String running = "{\"name\":\"batches/r\",\"metadata\":{\"state\":\"BATCH_STATE_RUNNING\",\"batchStats\":"
                + "{\"requestCount\":\"9007199254740993\",\"successfulRequestCount\":5,\"pendingRequestCount\":\"3\"}}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, running))) {
            RemoteBatch batch = provider(server).getBatch("batches/r");
            assertEquals(9007199254740993L, batch.total());
            assertEquals(5, batch.completed());
            assertEquals(0, batch.failed(), "zero counts are left out on the wire");
        }
    }

    @Test
    void mapsBothSpellingsOfEveryState() {
        Map<String, BatchState> expected = new LinkedHashMap<>();
        expected.put("UNSPECIFIED", BatchState.VALIDATING);
        expected.put("PENDING", BatchState.VALIDATING);
        expected.put("RUNNING", BatchState.IN_PROGRESS);
        expected.put("SUCCEEDED", BatchState.COMPLETED);
        expected.put("FAILED", BatchState.FAILED);
        expected.put("CANCELLED", BatchState.CANCELLED);
        expected.put("EXPIRED", BatchState.EXPIRED);
        expected.forEach((state, mapped) -> {
            assertEquals(Optional.of(mapped), GeminiBatch.mapState("BATCH_STATE_" + state), state);
            assertEquals(Optional.of(mapped), GeminiBatch.mapState("JOB_STATE_" + state), state);
        });
        assertEquals(Optional.of(BatchState.COMPLETED), GeminiBatch.mapState("JOB_STATE_PARTIALLY_SUCCEEDED"));
        assertEquals(Optional.empty(), GeminiBatch.mapState("BATCH_STATE_HIBERNATING"));
    }

    @Test
    void theResponsesFileIsReadFromResponseToo() throws Exception {
        String docsShape = "{\"name\":\"batches/d\",\"metadata\":{\"state\":\"JOB_STATE_SUCCEEDED\",\"display_name\":\"k\"},"
                + "\"done\":true,\"response\":{\"@type\":\"x\",\"responsesFile\":\"files/batch-d\"}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, docsShape))) {
            RemoteBatch batch = provider(server).getBatch("batches/d");
            assertEquals(BatchState.COMPLETED, batch.state());
            assertEquals("files/batch-d", batch.outputRef());
            assertEquals("k", batch.idempotencyKey(), "snake_case is read too");
        }
    }

    @Test
    void succeededBeforeTheFileIsNamedIsStillFinalizingForABoundedTime() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, r.path().endsWith("/late")
                ? batchJson("late", "BATCH_STATE_SUCCEEDED", "k", polls.incrementAndGet() < 3 ? null : "files/batch-late")
                : batchJson("never", "BATCH_STATE_SUCCEEDED", "k", null)))) {
            GeminiProvider provider = provider(server);

            RemoteBatch first = provider.getBatch("batches/late");
            assertEquals(BatchState.FINALIZING, first.state());
            assertFalse(first.state().terminal(), "the poller keeps polling");
            assertNull(first.outputRef());
            assertEquals("BATCH_STATE_SUCCEEDED", first.rawStatus());
            clock.advance(Duration.ofMinutes(20));
            assertEquals(BatchState.FINALIZING, provider.getBatch("batches/late").state());
            RemoteBatch done = provider.getBatch("batches/late");
            assertEquals(BatchState.COMPLETED, done.state());
            assertEquals("files/batch-late", done.outputRef());

            assertEquals(BatchState.FINALIZING, provider.getBatch("batches/never").state());
            clock.advance(Duration.ofMinutes(30));
            assertEquals(BatchState.FINALIZING, provider.getBatch("batches/never").state(), "30 minutes is within the bound");
            clock.advance(Duration.ofSeconds(1));
            MalformedAnswerException e = assertThrows(MalformedAnswerException.class, () -> provider.getBatch("batches/never"));
            assertTrue(e.getMessage().contains("batches/never"), e.getMessage());
            assertTrue(e.getMessage().contains("responsesFile"), e.getMessage());
            assertTrue(e.getMessage().contains("30 min"), e.getMessage());
        }
    }

    @Test
    void expiredHasNoResultsAndFailedCarriesItsStatus() throws Exception {
        String failed = "{\"name\":\"batches/f\",\"metadata\":{\"state\":\"BATCH_STATE_FAILED\",\"displayName\":\"k\"},\"done\":true,"
                + "\"error\":{\"code\":3,\"message\":\"Input file has an invalid line.\",\"details\":[]}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, r.path().endsWith("/x")
                ? batchJson("x", "BATCH_STATE_EXPIRED", "k", null) : failed))) {
            RemoteBatch expired = provider(server).getBatch("batches/x");
            assertEquals(BatchState.EXPIRED, expired.state());
            assertNull(expired.outputRef());
            assertNull(expired.errorRef());

            RemoteBatch refused = provider(server).getBatch("batches/f");
            assertEquals(BatchState.FAILED, refused.state());
            assertEquals(List.of(new BatchError("INVALID_ARGUMENT", "Input file has an invalid line.", null)), refused.errors());
        }
    }

    @Test
    void aMissingStateIsAnEarlyOneAndAnUnknownStateIsReported() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, r.path().endsWith("/new")
                ? "{\"name\":\"batches/new\",\"metadata\":{\"displayName\":\"k\"}}"
                : batchJson("odd", "BATCH_STATE_HIBERNATING", "k", null)))) {
            assertEquals(BatchState.VALIDATING, provider(server).getBatch("batches/new").state());
            ProviderException e = assertThrows(ProviderException.class, () -> provider(server).getBatch("batches/odd"));
            assertTrue(e.getMessage().contains("BATCH_STATE_HIBERNATING"), e.getMessage());
        }
    }

    // ---- retries ------------------------------------------------------------------------------

    @Test
    void theRetryInfoDelayIsHonoured() throws Exception {
        String quota = "{\"error\":{\"code\":429,\"message\":\"Quota exceeded.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
                + "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":\"x\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"30s\"}]}}";
        String unavailable = "{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\",\"details\":["
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.500s\"}]}}";
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(429, quota), Reply.json(503, unavailable),
                Reply.json(200, batchJson("b", "BATCH_STATE_RUNNING", "k", null)))) {
            assertEquals(BatchState.IN_PROGRESS, provider(server).getBatch("batches/b").state());
            assertEquals(List.of(Duration.ofSeconds(30), Duration.ofMillis(1500)), waits);
        }
    }

    @Test
    void retriesFollowTheSdk() throws Exception {
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            try (ScriptedServer server = ScriptedServer.sequence(Reply.json(status, "{}"),
                    Reply.json(200, batchJson("b", "BATCH_STATE_RUNNING", "k", null)))) {
                provider(server).getBatch("batches/b");
                assertEquals(2, server.received().size(), "retried: " + status);
            }
        }
        for (int status : new int[] {400, 404, 409, 501}) {
            try (ScriptedServer server = ScriptedServer.sequence(Reply.json(status,
                    "{\"error\":{\"code\":" + status + ",\"message\":\"no\",\"status\":\"X_" + status + "\"}}"))) {
                ProviderException e = assertThrows(ProviderException.class, () -> provider(server).getBatch("batches/b"));
                assertEquals(status, e.httpStatus());
                assertEquals("X_" + status, e.errorCode());
                assertEquals(1, server.received().size(), "not retried: " + status);
            }
        }
    }

    // ---- cancel, download ---------------------------------------------------------------------

    @Test
    void cancelPostsThenReadsTheBatch() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> r.method().equals("POST") ? Reply.json(200, "{}")
                : Reply.json(200, batchJson("b1", "BATCH_STATE_CANCELLED", "k", null)))) {
            RemoteBatch batch = provider(server).cancelBatch("batches/b1");
            assertEquals(BatchState.CANCELLED, batch.state());
            assertEquals(List.of("POST /v1beta/batches/b1:cancel", "GET /v1beta/batches/b1"), calls(server));
            assertEquals(0, server.received().get(0).body().length);
        }
    }

    @Test
    void downloadStreamsTheResponsesFileUnderTheTargetName(@TempDir Path dir) throws Exception {
        byte[] content = "{\"key\":\"a\",\"response\":{}}\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve("out").resolve("attempt-1.output.jsonl");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.bytes(200, content))) {
            provider(server).download("files/batch-q7w2e9", target);

            assertArrayEquals(content, Files.readAllBytes(target));
            Received request = server.received().get(0);
            assertEquals("GET", request.method());
            assertEquals("/download/v1beta/files/batch-q7w2e9:download", request.path());
            assertEquals("media", request.queryParam("alt"));
            assertEquals(KEY, request.header("x-goog-api-key"));
            try (Stream<Path> files = Files.list(target.getParent())) {
                assertEquals(List.of(target), files.toList(), "no temporary file left behind");
            }
        }
    }

    @Test
    void aFailedDownloadLeavesNoPartialTarget(@TempDir Path dir) throws Exception {
        byte[] content = "{\"key\":\"a\"}\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve("attempt-1.output.jsonl");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.truncated(content, content.length / 2))) {
            assertThrows(IOException.class, () -> provider(server).download("files/batch-1", target));
            assertEquals(3, server.received().size(), "retried, then gave up");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    // ---- identity, urls, secrets --------------------------------------------------------------

    @Test
    void idsCannotEscapeTheirPathSegment() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("x", "BATCH_STATE_RUNNING", "k", null)))) {
            provider(server).getBatch("batches/../files/f:cancel");
            assertEquals("/v1beta/batches/..%2Ffiles%2Ff%3Acancel", server.received().get(0).path());
            assertThrows(IllegalArgumentException.class, () -> provider(server).getBatch("batches/.."));
        }
    }

    @Test
    void baseUrlHasNoVersion() {
        GeminiProvider provider = new GeminiProvider(null, KEY, transport(0));
        assertEquals("https://generativelanguage.googleapis.com/v1beta/batches?pageSize=100",
                provider.uri("/v1beta/batches", "pageSize", "100").toString());
        assertEquals("https://proxy.test/gemini/v1beta/files",
                new GeminiProvider("https://proxy.test/gemini/", KEY, transport(0)).uri("/v1beta/files").toString());
        for (String versioned : List.of("https://generativelanguage.googleapis.com/v1beta",
                "https://generativelanguage.googleapis.com/v1beta/", "https://x.test/v1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GeminiProvider(versioned, KEY, transport(0)));
            assertTrue(e.getMessage().contains("no API version"), e.getMessage());
        }
        assertEquals("gemini", provider.name());
        assertTrue(provider.usesUploadedFiles());
        assertTrue(provider.resultDecoder() instanceof GeminiResultDecoder);
    }

    @Test
    void theKeyAppearsInNoExceptionMessage(@TempDir Path dir) throws Exception {
        List<Throwable> failures = new ArrayList<>();
        String echo = "{\"error\":{\"code\":400,\"message\":\"API key not valid: " + KEY + "\",\"status\":\"INVALID_ARGUMENT\"}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(400, echo))) {
            GeminiProvider provider = provider(server);
            failures.add(assertThrows(ProviderException.class, () -> provider.getBatch("b1")));
            failures.add(assertThrows(ProviderException.class, () -> provider.findBatch("k")));
            failures.add(assertThrows(ProviderException.class, () -> provider.download("files/f1", dir.resolve("x"))));
            Path input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");
            failures.add(assertThrows(ProviderException.class, () -> provider.upload(input, "in.jsonl")));
            failures.add(assertThrows(ProviderException.class,
                    () -> provider.createBatch(new CreateBatch("chat", "files/f", null, "m", "k"))));
            assertFalse(provider.toString().contains(KEY), provider.toString());
        }
        failures.add(assertThrows(IllegalArgumentException.class,
                () -> new GeminiProvider(null, KEY + "\r\nX-Evil: 1", transport(0))));
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(KEY), t.toString());
            }
        }
        assertEquals("INVALID_ARGUMENT", ((ProviderException) failures.get(0)).errorCode());
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
