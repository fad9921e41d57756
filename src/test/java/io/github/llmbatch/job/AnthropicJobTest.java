package io.github.llmbatch.job;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.cost.Bill;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.PriceTable;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Received;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job with {@code provider=anthropic} against a small Message Batches server (§B) scripted
 * here: every record back in input order with its own answer and its own id, one batch per shard,
 * the requests streamed inline.
 */
class AnthropicJobTest {

    private static final String KEY_VARIABLE = "LLMBATCH_TEST_ANTHROPIC_KEY";

    @TempDir
    Path dir;

    @BeforeEach
    void key() {
        System.setProperty(KEY_VARIABLE, "sk-ant-test");
    }

    @AfterEach
    void noKey() {
        System.clearProperty(KEY_VARIABLE);
    }

    /**
     * Ends every batch at once; answers "[stub] <user message>", results in reverse order. Can lose
     * the answer of one create (the batch is made, the client gets a 503) and refuse to list.
     */
    private static final class MessageBatches {
        final Map<String, List<String>> results = Collections.synchronizedMap(new LinkedHashMap<>());
        final Map<String, Instant> created = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> createdIds = Collections.synchronizedList(new ArrayList<>());
        ScriptedServer server;
        volatile int loseAnswerOfCreate;
        /** custom_id → the result.type its first request gets instead of succeeded (errored: the error type). */
        final Map<String, String> firstTime = new java.util.HashMap<>();
        final java.util.Set<String> seen = new HashSet<>();
        /** Result lines added to the first batch's, for requests it was never sent. */
        final List<String> foreignResults = new ArrayList<>();
        volatile boolean refuseLists;
        /** The usage of every succeeded result. */
        volatile String usage = "{\"input_tokens\":3,\"output_tokens\":4}";

        synchronized Reply answer(Received r) {
            String path = r.path();
            if (r.method().equals("GET") && path.equals("/v1/messages/batches")) {
                if (refuseLists) {
                    return Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no\"}}");
                }
                List<String> newestFirst = new ArrayList<>();
                for (String id : createdIds) {
                    newestFirst.add(0, batch(id, "in_progress", results.get(id).size()));
                }
                return Reply.json(200, "{\"data\":[" + String.join(",", newestFirst) + "],\"has_more\":false}");
            }
            if (r.method().equals("POST") && path.equals("/v1/messages/batches")) {
                Map<String, Object> body = TestJson.object(r.body());
                List<String> lines = new ArrayList<>();
                for (Object item : (List<?>) body.get("requests")) {
                    String id = (String) TestJson.at(item, "custom_id");
                    assertTrue(id.matches("[a-zA-Z0-9_-]{1,64}"), id);
                    String content = (String) TestJson.at(item, "params", "messages", 0, "content");
                    String fault = seen.add(id) ? firstTime.get(id) : null;
                    String result = fault == null ? "{\"type\":\"succeeded\",\"message\":"
                            + "{\"content\":[{\"type\":\"text\",\"text\":" + TestJson.quote("[stub] " + content)
                            + "}],\"usage\":" + usage + "}}"
                            : fault.equals("expired") || fault.equals("canceled") ? "{\"type\":\"" + fault + "\"}"
                            : "{\"type\":\"errored\",\"error\":{\"type\":\"error\",\"error\":{\"type\":\"" + fault
                            + "\",\"message\":\"stub " + fault + "\"}}}";
                    lines.add(0, "{\"custom_id\":" + TestJson.quote(id) + ",\"result\":" + result + "}");
                }
                String id = "msgbatch_" + (createdIds.size() + 1);
                if (createdIds.isEmpty()) {
                    lines.addAll(foreignResults);
                }
                createdIds.add(id);
                results.put(id, lines);
                created.put(id, Instant.now());
                if (createdIds.size() == loseAnswerOfCreate) {
                    return Reply.json(503, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"lost\"}}");
                }
                return Reply.json(200, batch(id, "in_progress", lines.size()));
            }
            if (r.method().equals("GET") && path.matches("/v1/messages/batches/[^/]+")) {
                String id = path.substring(path.lastIndexOf('/') + 1);
                return Reply.json(200, batch(id, "ended", results.get(id).size()));
            }
            if (r.method().equals("GET") && path.matches("/v1/messages/batches/[^/]+/results")) {
                String id = path.split("/")[4];
                return Reply.bytes(200, (String.join("\n", results.get(id)) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return Reply.json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"" + path + "\"}}");
        }

        String batch(String id, String status, int requests) {
            boolean ended = status.equals("ended");
            return "{\"id\":\"" + id + "\",\"type\":\"message_batch\",\"processing_status\":\"" + status + "\","
                    + "\"request_counts\":{\"processing\":" + (ended ? 0 : requests) + ",\"succeeded\":"
                    + (ended ? requests : 0) + ",\"errored\":0,\"canceled\":0,\"expired\":0},"
                    + "\"created_at\":\"" + created.get(id) + "\",\"results_url\":"
                    + (ended ? "\"" + server.uri("/v1/messages/batches/" + id + "/results") + "\"" : "null") + "}";
        }
    }

    private Properties params(Path input, ScriptedServer server) {
        Properties p = JobTestSupport.params(dir, input);
        p.setProperty("provider", "anthropic");
        p.setProperty("baseUrl", server.uri("").toString());
        p.setProperty("apiKeyEnv", KEY_VARIABLE);
        p.setProperty("model", "claude-x");
        p.setProperty("maxTokens", "64");
        return p;
    }

    @Test
    void everyRecordComesBackInInputOrderUnderItsOwnIdOneBatchPerShard() throws Exception {
        Path input = dir.resolve("in.jsonl");
        List<String> ids = new ArrayList<>();
        StringBuilder records = new StringBuilder();
        for (int i = 1; i <= 2_600; i++) {
            // 80 characters with '.', ':', '/' and non-ASCII: Anthropic would refuse every one as a custom_id
            String prefix = "tenant.eu:doc/ü€" + i + "/";
            String id = prefix + "x".repeat(80 - prefix.length());
            ids.add(id);
            records.append("{\"id\":").append(TestJson.quote(id)).append(",\"name\":\"item ").append(i).append("\"}\n");
        }
        Files.writeString(input, records, StandardCharsets.UTF_8);
        MessageBatches api = new MessageBatches();
        try (ScriptedServer server = new ScriptedServer(api::answer)) {
            api.server = server;
            Properties p = params(input, server);
            p.setProperty("maxRequestsPerFile", "1000");

            JobExecution execution = JobRunner.run(p);

            assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
            List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
            assertEquals(2_600, out.size());
            for (int i = 1; i <= out.size(); i++) {
                Map<String, Object> record = TestJson.object(out.get(i - 1));
                assertEquals(ids.get(i - 1), record.get("id"));
                assertEquals(80, ((String) record.get("id")).length());
                assertEquals("succeeded", record.get("status"));
                assertEquals("[stub] Say something about item " + i, record.get("content"));
            }
            assertEquals(List.of("msgbatch_1", "msgbatch_2", "msgbatch_3"), api.createdIds, "exactly one batch per shard");
            Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
            assertEquals(List.of(1000L, 1000L, 600L), ledger.shards.stream().map(s -> s.requests).toList());
            assertEquals(new HashSet<>(api.createdIds), new HashSet<>(ledger.attempts.stream().map(a -> a.batchId).toList()));
        }
    }

    @Test
    void aCreateWhoseAnswerIsLostIsAdoptedNotMadeAgainThoughTheShardBeforeHasTheSameCount() throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 250);
        MessageBatches api = new MessageBatches();
        api.loseAnswerOfCreate = 2; // shard 1: 100 requests, like shard 0 created just before
        try (ScriptedServer server = new ScriptedServer(api::answer)) {
            api.server = server;
            Properties p = params(input, server);
            p.setProperty("maxRequestsPerFile", "100");

            JobExecution execution = JobRunner.run(p);

            assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
            assertEquals(List.of("msgbatch_1", "msgbatch_2", "msgbatch_3"), api.createdIds, "no batch made twice");
            Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
            assertEquals(List.of("msgbatch_1", "msgbatch_2", "msgbatch_3"),
                    ledger.attempts.stream().map(a -> a.batchId).toList(), "shard 1 adopted its own batch");
            assertAllAnswered(250);
        }
    }

    @Test
    void aCreateLostAcrossARestartIsAdoptedFromTheLedgersIntent() throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 250);
        MessageBatches api = new MessageBatches();
        api.loseAnswerOfCreate = 2;
        api.refuseLists = true; // the first run cannot look: it fails with the intent in its ledger
        try (ScriptedServer server = new ScriptedServer(api::answer)) {
            api.server = server;
            Properties p = params(input, server);
            p.setProperty("maxRequestsPerFile", "100");

            JobExecution failed = JobRunner.run(p);
            assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), failed.getExitStatus());
            assertEquals(List.of("msgbatch_1", "msgbatch_2"), api.createdIds);

            api.refuseLists = false;
            JobExecution restarted = JobRunner.restart(failed.getExecutionId(), p);

            assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), restarted.getExitStatus());
            assertEquals(List.of("msgbatch_1", "msgbatch_2", "msgbatch_3"), api.createdIds, "no batch made twice");
            Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), restarted);
            assertEquals(List.of("msgbatch_1", "msgbatch_2", "msgbatch_3"),
                    ledger.attempts.stream().map(a -> a.batchId).toList(),
                    "shard 1 took the batch made after its intent, not shard 0's of the same count");
            assertAllAnswered(250);
        }
    }

    @Test
    void expiredAndRetryableErrorsGoIntoTheNextAttemptAnInvalidRequestFailsForGood() throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 40);
        MessageBatches api = new MessageBatches();
        api.firstTime.put("r-3", "expired");
        api.firstTime.put("r-4", "canceled");
        api.firstTime.put("r-5", "overloaded_error");
        api.firstTime.put("r-6", "api_error");
        api.firstTime.put("r-7", "rate_limit_error");
        api.firstTime.put("r-8", "invalid_request_error");
        try (ScriptedServer server = new ScriptedServer(api::answer)) {
            api.server = server;
            JobExecution execution = JobRunner.run(params(input, server));

            assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
            assertEquals(List.of("msgbatch_1", "msgbatch_2"), api.createdIds, "one batch, then one retry of the five");
            assertEquals(5, api.results.get("msgbatch_2").size());
            List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
            assertEquals(40, out.size());
            for (int i = 1; i <= 40; i++) {
                Map<String, Object> record = TestJson.object(out.get(i - 1));
                assertEquals("r-" + i, record.get("id"));
                if (i == 8) {
                    assertEquals("failed", record.get("status"), out.get(i - 1));
                    assertEquals("invalid_request_error", TestJson.at(record, "error", "code"));
                    assertEquals(new TestJson.Num("1"), record.get("attempts"));
                } else {
                    assertEquals("succeeded", record.get("status"), out.get(i - 1));
                    assertEquals(new TestJson.Num(i >= 3 && i <= 7 ? "2" : "1"), record.get("attempts"), out.get(i - 1));
                }
            }
        }
    }

    /**
     * Prompt-cache reads and writes in every result, and retries: the bill counts each succeeded request
     * once, its cache reads at the cached rate and its cache writes as input; the errored and expired
     * first tries are not billed.
     */
    @Test
    void cachedInputIsBilledAtTheCachedRateAndEachRequestOnce() throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 40);
        MessageBatches api = new MessageBatches();
        api.usage = "{\"input_tokens\":30,\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":1000,"
                + "\"output_tokens\":7,\"service_tier\":\"batch\"}";
        api.firstTime.put("r-3", "expired");
        api.firstTime.put("r-5", "overloaded_error");
        api.firstTime.put("r-8", "invalid_request_error");
        Path prices = dir.resolve("prices.json");
        Files.writeString(prices, "{\"asOf\":\"2026-11-29\",\"replaceBuiltIn\":true,\"models\":[{\"provider\":"
                + "\"anthropic\",\"model\":\"claude-x\",\"standard\":{\"input\":1.1,\"cachedInput\":0.11,"
                + "\"output\":5.5},\"batch\":{\"input\":0.55,\"cachedInput\":0.055,\"output\":2.75}}]}");
        try (ScriptedServer server = new ScriptedServer(api::answer)) {
            api.server = server;
            JobExecution execution = JobRunner.run(params(input, server));

            assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
            assertEquals(2, api.createdIds.size(), "r-3 and r-5 retried");
            Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
            LedgerCost.recordPrices(ledger, PriceTable.withFile(prices));
            Bill bill = LedgerCost.bill(ledger);

            long billed = 39; // r-8 failed for good
            assertEquals(List.of(billed, billed * 1_230, billed * 1_000, billed * 7),
                    List.of(bill.requests(), bill.inputTokens(), bill.cachedInputTokens(), bill.outputTokens()));
            BigDecimal batch = new BigDecimal("0.55").multiply(BigDecimal.valueOf(billed * 230))
                    .add(new BigDecimal("0.055").multiply(BigDecimal.valueOf(billed * 1_000)))
                    .add(new BigDecimal("2.75").multiply(BigDecimal.valueOf(billed * 7))).movePointLeft(6);
            BigDecimal sync = new BigDecimal("1.1").multiply(BigDecimal.valueOf(billed * 230))
                    .add(new BigDecimal("0.11").multiply(BigDecimal.valueOf(billed * 1_000)))
                    .add(new BigDecimal("5.5").multiply(BigDecimal.valueOf(billed * 7))).movePointLeft(6);
            assertEquals(0, batch.compareTo(bill.batchUsd()), "batch " + bill.batchUsd() + " vs " + batch);
            assertEquals(0, sync.compareTo(bill.syncUsd()), "sync " + bill.syncUsd() + " vs " + sync);
            assertEquals(0, sync.subtract(batch).compareTo(bill.savingUsd()));
        }
    }

    @Test
    void resultsForCustomIdsTheAttemptDidNotSendAreIgnoredAndReported() throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 10);
        MessageBatches api = new MessageBatches();
        api.foreignResults.add("{\"custom_id\":\"someone-elses\",\"result\":{\"type\":\"succeeded\",\"message\":"
                + "{\"content\":[{\"type\":\"text\",\"text\":\"not ours\"}]}}}");
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.github.llmbatch.pipeline.AttemptResolver");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try (ScriptedServer server = new ScriptedServer(api::answer)) {
            api.server = server;
            JobExecution execution = JobRunner.run(params(input, server));

            assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
            assertAllAnswered(10);
            Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
            assertEquals(10, LedgerCost.bill(ledger).requests(), "the foreign result is not billed to this job");
            assertEquals(0, LedgerCost.requestsWithoutUsage(ledger));
            assertTrue(warnings.stream().anyMatch(w -> w.contains("returned 1 results for custom_ids this attempt did"
                    + " not send")), warnings.toString());
        } finally {
            log.removeHandler(handler);
        }
    }

    private void assertAllAnswered(int n) throws Exception {
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(n, out.size());
        for (int i = 1; i <= n; i++) {
            Map<String, Object> record = TestJson.object(out.get(i - 1));
            assertEquals("r-" + i, record.get("id"));
            assertEquals("[stub] Say something about item " + i, record.get("content"), out.get(i - 1));
            assertEquals(new TestJson.Num("1"), record.get("attempts"));
        }
    }

    @Test
    void aJobWithoutMaxTokensOrForEmbeddingsFailsBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 3);
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(500, "{}"))) {
            Properties noMax = params(input, server);
            noMax.remove("maxTokens");
            JobExecution refused = JobRunner.run(noMax);
            assertEquals(BatchStatus.FAILED, refused.getBatchStatus());
            assertTrue(refused.getExitStatus().contains("requires maxTokens"), refused.getExitStatus());
            assertEquals(List.of(), BatchRuntime.getJobOperator().getStepExecutions(refused.getExecutionId()), "no step ran");

            Properties embeddings = params(input, server);
            embeddings.setProperty("endpoint", "embeddings");
            JobExecution noEmbeddings = JobRunner.run(embeddings);
            assertEquals(BatchStatus.FAILED, noEmbeddings.getBatchStatus());
            assertTrue(noEmbeddings.getExitStatus().contains("no embeddings"), noEmbeddings.getExitStatus());
            assertEquals(0, server.received().size());
        }
    }
}
