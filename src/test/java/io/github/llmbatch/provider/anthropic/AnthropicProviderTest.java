package io.github.llmbatch.provider.anthropic;

import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.LostCreate;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Received;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnthropicProviderTest {

    private static final String KEY = "sk-ant-test-Zq81nXw0pLr5";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    /** Waits the transport asked for, recorded instead of slept. */
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    private AnthropicProvider provider(ScriptedServer server) {
        HttpTransport transport = new HttpTransport(HttpTransport.defaultClient(),
                new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMinutes(5)),
                waits::add, Clock.systemUTC(), () -> 0.5);
        return new AnthropicProvider(server.uri("").toString(), KEY, transport, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    // ---- wire shapes (§B.2, §B.3) --------------------------------------------------------------

    private static String batch(String id, String status, long processing, long succeeded, long errored,
                                long canceled, long expired, Instant created, String resultsUrl, boolean cancelled) {
        return "{\"id\":\"" + id + "\",\"type\":\"message_batch\",\"processing_status\":\"" + status + "\","
                + "\"request_counts\":{\"processing\":" + processing + ",\"succeeded\":" + succeeded + ",\"errored\":"
                + errored + ",\"canceled\":" + canceled + ",\"expired\":" + expired + "},"
                + "\"ended_at\":" + (status.equals("ended") ? "\"2026-03-01T12:20:00.000000Z\"" : "null") + ","
                + "\"created_at\":\"" + created + "\",\"expires_at\":\"2026-03-02T12:00:00.000000Z\","
                + "\"cancel_initiated_at\":" + (cancelled ? "\"2026-03-01T12:10:00.000000Z\"" : "null") + ","
                + "\"archived_at\":null,\"results_url\":" + (resultsUrl == null ? "null" : "\"" + resultsUrl + "\"") + "}";
    }

    private static String inProgress(String id, long requests, Instant created) {
        return batch(id, "in_progress", requests, 0, 0, 0, 0, created, null, false);
    }

    private static String page(boolean hasMore, String... batches) {
        String last = batches.length == 0 ? "null" : "\"" + batches[batches.length - 1].replaceAll(
                "^\\{\"id\":\"([^\"]+)\".*$", "$1") + "\"";
        return "{\"data\":[" + String.join(",", batches) + "],\"has_more\":" + hasMore + ",\"first_id\":null,"
                + "\"last_id\":" + last + "}";
    }

    private Path requests(String... lines) throws Exception {
        Path file = dir.resolve("shard-00000.attempt-1.requests.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static CreateBatch create(Path file) {
        return new CreateBatch("chat", null, file, "claude-x", "job-1-shard-0-attempt-1");
    }

    private static List<Received> calls(ScriptedServer server, String method) {
        return server.received().stream().filter(r -> r.method().equals(method)).toList();
    }

    // ---- create -------------------------------------------------------------------------------------

    @Test
    void createStreamsTheShardFileIntoTheRequestsArrayWithTheDocumentedHeaders() throws Exception {
        String a = "{\"custom_id\":\"a\",\"params\":{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"ü\\n\"}]}}";
        String b = "{\"custom_id\":\"b\",\"params\":{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"2\"}]}}";
        // a request big enough to span several reads of the stream
        String c = "{\"custom_id\":\"c\",\"params\":{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(300_000) + "\"}]}}";
        Path file = requests(a, b, c);
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200, inProgress("msgbatch_01", 3, NOW)))) {
            RemoteBatch created = provider(server).createBatch(create(file));

            assertEquals("msgbatch_01", created.id());
            assertEquals(BatchState.IN_PROGRESS, created.state());
            assertEquals(3, created.total());
            Received post = server.received().get(0);
            assertEquals("POST", post.method());
            assertEquals("/v1/messages/batches", post.path());
            assertEquals("{\"requests\":[" + a + "," + b + "," + c + "]}", post.bodyText());
            assertEquals(Long.toString(post.body().length), post.header("content-length"), "length known up front");
            assertEquals(KEY, post.header("x-api-key"));
            assertEquals("2023-06-01", post.header("anthropic-version"));
            assertEquals("application/json", post.header("content-type"));
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void aRequestFileThatIsNotLinesIsNotSent() throws Exception {
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        Path blank = dir.resolve("blank.jsonl");
        Files.writeString(blank, "{\"custom_id\":\"a\"}\n\n{\"custom_id\":\"b\"}\n");
        Path unended = dir.resolve("unended.jsonl");
        Files.writeString(unended, "{\"custom_id\":\"a\"}");
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200, inProgress("msgbatch_01", 1, NOW)))) {
            for (Path file : List.of(empty, blank, unended)) {
                assertThrows(java.io.IOException.class, () -> provider(server).createBatch(create(file)), file.toString());
            }
            assertEquals(0, server.received().size());
        }
    }

    @Test
    void a529IsRetriedAfterTheWaitTheServerAsksForAndNoSecondBatchIsMade() throws Exception {
        Path file = requests("{\"custom_id\":\"a\"}", "{\"custom_id\":\"b\"}");
        java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.method().equals("GET")) {
                return Reply.json(200, page(false)); // nothing made by the refused call
            }
            return posts.incrementAndGet() == 1
                    ? Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
                    .withHeader("retry-after", "7")
                    : Reply.json(200, inProgress("msgbatch_02", 2, NOW));
        })) {
            RemoteBatch created = provider(server).createBatch(create(file));

            assertEquals("msgbatch_02", created.id());
            assertEquals(List.of(Duration.ofSeconds(7)), waits);
            assertEquals(2, calls(server, "POST").size());
            assertEquals(1, calls(server, "GET").size(), "looked for a batch made by the first call before sending again");
            assertEquals(calls(server, "POST").get(0).bodyText(), calls(server, "POST").get(1).bodyText(),
                    "the file read again from the start");
        }
    }

    @Test
    void aCreateWhoseAnswerWasLostIsAdoptedByItsRequestCountInsteadOfMadeAgain() throws Exception {
        Path file = requests("{\"custom_id\":\"a\"}", "{\"custom_id\":\"b\"}", "{\"custom_id\":\"c\"}");
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.method().equals("GET")) {
                return Reply.json(200, page(false,
                        inProgress("msgbatch_other", 2, NOW.plusSeconds(2)),     // another count
                        inProgress("msgbatch_made", 3, NOW.plusSeconds(1)),      // ours
                        inProgress("msgbatch_before", 3, NOW.minusSeconds(3600))));  // long before the call
            }
            return Reply.json(502, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"lost\"}}");
        })) {
            RemoteBatch adopted = provider(server).createBatch(create(file));

            assertEquals("msgbatch_made", adopted.id());
            assertEquals(1, calls(server, "POST").size(), "the create is not sent twice");
            assertEquals("100", calls(server, "GET").get(0).queryParam("limit"));
        }
    }

    // ---- a lost create after a restart (§ DESIGN: no metadata at Anthropic) -------------------------

    @Test
    void findLostCreatePagesNewestFirstAndTakesTheBatchOfTheCountCreatedNearestTheIntent() throws Exception {
        Path file = requests("{\"custom_id\":\"a\"}", "{\"custom_id\":\"b\"}");
        Instant intent = NOW.minus(Duration.ofHours(3));
        try (ScriptedServer server = new ScriptedServer(r -> {
            String after = r.queryParam("after_id");
            if (after == null) {
                return Reply.json(200, page(true,
                        inProgress("msgbatch_late", 2, NOW),                           // hours after the call gave up
                        inProgress("msgbatch_known", 2, intent.plusMillis(300))));     // the ledger has it
            }
            if (after.equals("msgbatch_known")) {
                return Reply.json(200, page(true,
                        inProgress("msgbatch_ours", 2, intent.plusMillis(800)),
                        inProgress("msgbatch_skewed", 2, intent.minusSeconds(20))));    // clock skew: still a candidate
            }
            if (after.equals("msgbatch_skewed")) {
                return Reply.json(200, page(true, inProgress("msgbatch_old", 2, intent.minus(Duration.ofHours(1)))));
            }
            throw new AssertionError("read past the window: " + r.query());
        })) {
            Optional<RemoteBatch> found = provider(server).findLostCreate(
                    new LostCreate(create(file), 2, intent, Set.of("msgbatch_known")));

            assertEquals("msgbatch_ours", found.orElseThrow().id());
            assertEquals(3, server.received().size(), "stops at the first batch older than the window");
        }
    }

    @Test
    void findLostCreateFindsNothingWhenNoBatchOfTheCountWasCreatedThen() throws Exception {
        Path file = requests("{\"custom_id\":\"a\"}");
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200, page(false,
                inProgress("msgbatch_2", 2, NOW), inProgress("msgbatch_1", 1, NOW.minus(Duration.ofDays(1))))))) {
            assertEquals(Optional.empty(), provider(server).findLostCreate(new LostCreate(create(file), 1, NOW, Set.of())));
            assertEquals(Optional.empty(), provider(server).findBatch("job-1-shard-0-attempt-1"), "no keys at Anthropic");
        }
    }

    // ---- poll, cancel, results ------------------------------------------------------------------------

    @Test
    void processingStatusAndCountsAreMapped() throws Exception {
        String url = "https://api.anthropic.com/v1/messages/batches/b/results";
        List<String> answers = List.of(
                batch("b", "in_progress", 5, 0, 0, 0, 0, NOW, null, false),
                batch("b", "canceling", 5, 0, 0, 0, 0, NOW, null, true),
                batch("b", "ended", 0, 2, 1, 0, 2, NOW, url, false),
                batch("b", "ended", 0, 1, 0, 4, 0, NOW, url, true),
                batch("b", "ended", 0, 5, 0, 0, 0, NOW, null, false),
                batch("b", "paused", 5, 0, 0, 0, 0, NOW, null, false));
        int[] next = {0};
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, answers.get(next[0]++)))) {
            AnthropicProvider provider = provider(server);
            RemoteBatch running = provider.getBatch("b");
            assertEquals(BatchState.IN_PROGRESS, running.state());
            assertEquals(5, running.total());
            assertEquals(BatchState.CANCELLING, provider.getBatch("b").state());
            RemoteBatch ended = provider.getBatch("b");
            assertEquals(new RemoteBatch("b", BatchState.COMPLETED, "ended", 5, 2, 3, url, null, List.of(), null), ended);
            assertEquals(BatchState.CANCELLED, provider.getBatch("b").state());
            assertEquals(BatchState.FINALIZING, provider.getBatch("b").state(), "ended but no results_url yet");
            ProviderException unknown = assertThrows(ProviderException.class, () -> provider.getBatch("b"));
            assertTrue(unknown.getMessage().contains("paused"), unknown.getMessage());
            assertEquals("/v1/messages/batches/b", server.received().get(0).path());
            assertEquals("GET", server.received().get(0).method());
        }
    }

    @Test
    void cancelPostsToTheBatchsCancelPath() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200,
                batch("msgbatch_9", "canceling", 3, 0, 0, 0, 0, NOW, null, true)))) {
            assertEquals(BatchState.CANCELLING, provider(server).cancelBatch("msgbatch_9").state());
            assertEquals("POST", server.received().get(0).method());
            assertEquals("/v1/messages/batches/msgbatch_9/cancel", server.received().get(0).path());
        }
    }

    @Test
    void resultsAreDownloadedFromTheResultsUrlAsGiven() throws Exception {
        byte[] results = "{\"custom_id\":\"a\",\"result\":{\"type\":\"expired\"}}\n".getBytes(StandardCharsets.UTF_8);
        try (ScriptedServer server = ScriptedServer.sequence(Reply.bytes(200, results))) {
            Path target = dir.resolve("results/out.jsonl");
            String url = server.uri("/somewhere/else/results.jsonl?sig=abc%2Fd").toString();
            provider(server).download(url, target);

            assertEquals(new String(results, StandardCharsets.UTF_8), Files.readString(target));
            Received get = server.received().get(0);
            assertEquals("/somewhere/else/results.jsonl", get.path());
            assertEquals("sig=abc%2Fd", get.query());
            assertEquals("application/binary", get.header("accept"));
            assertEquals(KEY, get.header("x-api-key"));

            assertThrows(MalformedAnswerException.class,
                    () -> provider(server).download("https://elsewhere.example/results", dir.resolve("x")),
                    "the key is not sent to another server");
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void theBaseUrlTakesNoVersion() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200, "{}"))) {
            HttpTransport transport = new HttpTransport(RetryPolicy.DEFAULT);
            assertThrows(IllegalArgumentException.class,
                    () -> new AnthropicProvider(server.uri("/v1/").toString(), KEY, transport));
            assertThrows(IllegalArgumentException.class, () -> new AnthropicProvider(null, "bad\nkey", transport));
            assertEquals("AnthropicProvider[https://api.anthropic.com]",
                    new AnthropicProfile().open(null, KEY, io.github.llmbatch.provider.HttpTimeouts.DEFAULT,
                            io.github.llmbatch.provider.StopRequest.NEVER).toString());
        }
    }
}
