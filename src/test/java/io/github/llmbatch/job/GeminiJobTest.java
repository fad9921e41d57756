package io.github.llmbatch.job;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.emulator.EmulatorStats;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.pipeline.AttemptSubmitter;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job with {@code provider=gemini} against the embedded emulator speaking Gemini Batch Mode:
 * the same promises as for OpenAI (every record back in input order, one batch per shard attempt,
 * retries only of what is retryable) with Gemini's request lines, results and faults.
 *
 * <p>Each test has an emulator of its own (a fault spec no other test uses), so its counters are the
 * test's alone.
 */
class GeminiJobTest {

    private static final String SYSTEM_PROMPT = "Answer in one sentence.";

    @TempDir
    Path dir;

    @Test
    void chatJobSendsGeminiRequestLinesAndReturnsEveryRecordInInputOrder() throws Exception {
        // shuffled responses files (the default, written out to be this test's own emulator): the join is by key
        String faults = "shuffle=true";
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 2_600);
        Properties p = geminiParams(input, faults);
        p.setProperty("maxRequestsPerFile", "1000");
        p.setProperty("systemPrompt", SYSTEM_PROMPT);
        p.setProperty("maxTokens", "64");
        p.setProperty("temperature", "0.2");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(2_600, out.size());
        for (int i = 1; i <= out.size(); i++) {
            Map<String, Object> record = TestJson.object(out.get(i - 1));
            assertEquals("r-" + i, record.get("id"));
            assertEquals("succeeded", record.get("status"));
            assertEquals("[emulated] r-" + i + ": Say something about item " + i, record.get("content"));
            assertEquals(new TestJson.Num("1"), record.get("attempts"));
            assertEquals(List.of("promptTokenCount", "candidatesTokenCount", "totalTokenCount"),
                    List.copyOf(((Map<?, ?>) record.get("usage")).keySet()),
                    "Gemini's usageMetadata: " + out.get(i - 1));
        }

        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(List.of(1000L, 1000L, 600L), ledger.shards.stream().map(s -> s.requests).toList());
        assertEquals(3, ledger.attempts.size());
        assertOneUploadAndOneBatchPerAttempt(ledger, EmbeddedEmulator.shared(faults).stats());
        assertEquals(2_600, EmbeddedEmulator.shared(faults).stats().requestsProcessed());

        int n = 0;
        for (Ledger.Shard shard : ledger.shards) {
            for (String line : Files.readAllLines(Path.of(shard.requestsFile))) {
                n++;
                Map<String, Object> json = TestJson.object(line);
                assertEquals(List.of("key", "request"), List.copyOf(json.keySet()), line);
                assertEquals("r-" + n, json.get("key"));
                assertEquals("user", TestJson.at(json, "request", "contents", 0, "role"));
                assertEquals("Say something about item " + n,
                        TestJson.at(json, "request", "contents", 0, "parts", 0, "text"));
                assertEquals(SYSTEM_PROMPT, TestJson.at(json, "request", "systemInstruction", "parts", 0, "text"));
                assertEquals(Map.of("maxOutputTokens", new TestJson.Num("64"), "temperature", new TestJson.Num("0.2")),
                        TestJson.at(json, "request", "generationConfig"));
            }
        }
        assertEquals(2_600, n);
    }

    @Test
    void embeddingsJobReturnsAVectorPerRecord() throws Exception {
        String faults = "shuffle=false";
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 120);
        Properties p = geminiParams(input, faults);
        p.setProperty("endpoint", "embeddings");
        p.setProperty("model", "gemini-embedding-001");
        p.setProperty("userTemplate", "{{name}}");
        p.setProperty("maxRequestsPerFile", "50");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(120, out.size());
        List<?> first = null;
        for (int i = 1; i <= out.size(); i++) {
            Map<String, Object> record = TestJson.object(out.get(i - 1));
            assertEquals("r-" + i, record.get("id"));
            assertEquals("succeeded", record.get("status"));
            List<?> vector = assertInstanceOf(List.class, record.get("content"), out.get(i - 1));
            assertTrue(vector.stream().allMatch(TestJson.Num.class::isInstance), "numbers: " + out.get(i - 1));
            if (first == null) {
                first = vector;
            } else {
                assertEquals(first.size(), vector.size());
                assertNotEquals(first, vector, "another text, another vector");
            }
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(3, ledger.shards.size());
        assertOneUploadAndOneBatchPerAttempt(ledger, EmbeddedEmulator.shared(faults).stats());
    }

    /*
     * 5 shards of 100, one per batch in creation order. The expired batch (shard 2's) runs nothing and
     * returns nothing: its 100 requests are shard 2's second attempt. r-20..r-29 fail once with INTERNAL
     * (their second attempt is shard 1's); r-10..r-19 are INVALID_ARGUMENT every time.
     */
    private static final String FAULTS = String.join(";",
            "upload=503x1",                 // the first upload call answered 503: retried by the transport
            "create=429x1", "retryAfter=1", // the first create throttled with RetryInfo
            "retrieve=500x2",               // status polls fail twice
            "fail400=r-1[0-9]",             // permanent
            "fail500=r-2[0-9]",             // retryable, succeeds the second time
            "fileLag=2",                    // SUCCEEDED without its responses file for two polls
            "expire=2");

    @Test
    void everyRecordIsAccountedForThroughEveryGeminiFault() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 500);
        Properties p = geminiParams(input, FAULTS);
        p.setProperty("maxRequestsPerFile", "100");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(500, out.size());
        for (int i = 1; i <= 500; i++) {
            String line = out.get(i - 1);
            Map<String, Object> record = TestJson.object(line);
            assertEquals("r-" + i, record.get("id"));
            if (i >= 10 && i <= 19) {
                assertEquals("failed", record.get("status"), line);
                assertEquals("INVALID_ARGUMENT", TestJson.at(record, "error", "code"), line);
                assertEquals(new TestJson.Num("1"), record.get("attempts"), line);
            } else {
                assertEquals("succeeded", record.get("status"), line);
                assertEquals("[emulated] r-" + i + ": Say something about item " + i, record.get("content"), line);
                boolean secondAttempt = (i >= 20 && i <= 29) || (i >= 101 && i <= 200);
                assertEquals(new TestJson.Num(secondAttempt ? "2" : "1"), record.get("attempts"), line);
            }
        }

        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(5, ledger.shards.size());
        assertEquals(7, ledger.attempts.size());
        assertEquals(10, ledger.attempt(1, 2).orElseThrow().requests, "only the retryable lines go again");
        assertEquals("expired", ledger.attempt(2, 1).orElseThrow().status);
        assertEquals(100, ledger.attempt(2, 2).orElseThrow().requests, "an expired batch returns nothing");

        EmulatorStats stats = EmbeddedEmulator.shared(FAULTS).stats();
        assertOneUploadAndOneBatchPerAttempt(ledger, stats);
        long sentToRun = ledger.attempts.stream().filter(a -> !"expired".equals(a.status)).mapToLong(a -> a.requests)
                .sum();
        assertEquals(510, sentToRun, "every record once, the 10 retryable ones twice");
        assertEquals(sentToRun, stats.requestsProcessed(), "no request run (and paid) twice");
        assertEquals(6, stats.outputFilesDownloaded(), "one responses file per batch that ran, none for the expired");
    }

    /*
     * Lost answers (the file stored, the batch created, the answer replaced by an error), lines missing,
     * timed out or throttled once, a batch whose every line failed, and damaged downloads.
     */
    private static final String LOST_AND_DAMAGED = String.join(";",
            "uploadLost=500x1",             // the first finalize stores the file, then answers 500
            "createLost=503x1",             // the first create makes the batch, then answers 503
            "drop=r-3[0-9]",                // r-30..r-39: no line at all the first time
            "timeout=r-4[0-9]",             // r-40..r-49: DEADLINE_EXCEEDED the first time
            "fail429=r-5[0-9]",             // r-50..r-59: RESOURCE_EXHAUSTED the first time
            "allFail=3",                    // shard 3's batch: every line INTERNAL
            "corruptOutput=1", "truncateOutput=1");

    @Test
    void lostAnswersMissingLinesAndDamagedDownloadsCostNoSecondBatch() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 400);
        Properties p = geminiParams(input, LOST_AND_DAMAGED);
        p.setProperty("maxRequestsPerFile", "100");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(400, out.size());
        for (int i = 1; i <= 400; i++) {
            String line = out.get(i - 1);
            Map<String, Object> record = TestJson.object(line);
            assertEquals("r-" + i, record.get("id"));
            assertEquals("succeeded", record.get("status"), line);
            assertEquals("[emulated] r-" + i + ": Say something about item " + i, record.get("content"), line);
            boolean secondAttempt = (i >= 30 && i <= 59) || (i >= 201 && i <= 300);
            assertEquals(new TestJson.Num(secondAttempt ? "2" : "1"), record.get("attempts"), line);
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(6, ledger.attempts.size());
        EmulatorStats stats = EmbeddedEmulator.shared(LOST_AND_DAMAGED).stats();
        assertOneUploadAndOneBatchPerAttempt(ledger, stats);
        assertEquals(30, ledger.attempt(1, 2).orElseThrow().requests, "dropped, timed out and throttled lines");
        assertEquals(100, ledger.attempt(3, 2).orElseThrow().requests, "every line of the all-failed batch");
        // 400 + 130 retried, less the 10 timed-out lines, which never ran
        assertEquals(520, stats.requestsProcessed());
        assertEquals(8, stats.outputFilesDownloaded(),
                "one responses file per batch; the first fetched three times: corrupted, truncated, whole");
    }

    @Test
    void aBatchFailedForItsQuotaIsCreatedAgainAfterABackOff() throws Exception {
        // the second batch ends BATCH_STATE_FAILED with RESOURCE_EXHAUSTED: the enqueued-token quota
        String faults = "tokenLimit=2";
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 30);
        Properties p = geminiParams(input, faults);
        p.setProperty("maxRequestsPerFile", "10");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(30, out.size());
        for (int i = 1; i <= 30; i++) {
            assertTrue(out.get(i - 1).startsWith("{\"id\":\"r-" + i + "\",\"status\":\"succeeded\""), out.get(i - 1));
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        Ledger.Attempt refused = ledger.attempt(2, 1).orElseThrow();
        assertEquals(1, refused.tokenLimitRefusals);
        assertEquals(3, ledger.attempts.size(), "created again as the same attempt, under a new key");
        List<String> names = EmbeddedEmulator.shared(faults).stats().batchDisplayNames();
        assertEquals(4, names.size(), "three batches and the refused one");
        assertEquals(4, new HashSet<>(names).size(), names.toString());
        assertTrue(names.contains(refused.key), refused.key + " in " + names);
        assertEquals(30, EmbeddedEmulator.shared(faults).stats().requestsProcessed(), "the refused batch ran nothing");
        assertEquals(3, EmbeddedEmulator.shared(faults).stats().filesUploaded(), "the refused batch's file is reused");
    }

    @Test
    void aJobStoppedWhilePollingRestartsWithoutASecondBatch() throws Exception {
        // batches run long enough for the stop to find the job polling
        String faults = "inProgressMs=4000";
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 300);
        Properties p = geminiParams(input, faults);
        p.setProperty("maxRequestsPerFile", "100");
        EmulatorStats stats = EmbeddedEmulator.shared(faults).stats();
        JobOperator operator = BatchRuntime.getJobOperator();

        long id = operator.start("llm-batch", p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stats.batchesCreated() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, stats.batchesCreated(), "every shard's batch was created");
        Thread.sleep(500); // the poll step is polling running batches
        operator.stop(id);
        JobExecution stopped = JobRunner.await(operator, id);
        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        Ledger atStop = JobTestSupport.ledgerOf(dir.resolve("work"), stopped);
        assertTrue(atStop.attempts.stream().noneMatch(a -> a.resolved), "stopped before any batch ended");

        JobExecution restarted = JobRunner.restart(id, new Properties());

        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), restarted.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(300, out.size());
        for (int i = 1; i <= 300; i++) {
            assertTrue(out.get(i - 1).startsWith("{\"id\":\"r-" + i + "\",\"status\":\"succeeded\""), out.get(i - 1));
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), restarted);
        assertEquals(3, ledger.attempts.size());
        assertOneUploadAndOneBatchPerAttempt(ledger, stats);
        assertEquals(300, stats.requestsProcessed());
    }

    @Test
    void aBaseUrlWithAVersionIsRefusedBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Properties p = geminiParams(input, "");
        p.setProperty("baseUrl", "http://127.0.0.1:9/v1beta");
        p.setProperty("apiKeyEnv", "LLMBATCH_TEST_GEMINI_KEY"); // read from a system property of that name
        System.setProperty("LLMBATCH_TEST_GEMINI_KEY", "test-key");
        try {
            JobExecution execution = JobRunner.run(p);

            assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
            assertEquals("FAILED: the Gemini base URL takes no API version (this client adds /v1beta):"
                    + " http://127.0.0.1:9/v1beta", execution.getExitStatus());
            assertEquals(List.of(), BatchRuntime.getJobOperator().getStepExecutions(execution.getExecutionId()),
                    "no step ran");
        } finally {
            System.clearProperty("LLMBATCH_TEST_GEMINI_KEY");
        }
    }

    private Properties geminiParams(Path input, String faults) {
        Properties p = params(dir, input);
        p.setProperty("provider", "gemini");
        p.setProperty("model", "gemini-2.5-flash");
        p.setProperty("emulatorFaults", faults);
        return p;
    }

    /** Batches by their displayName (the idempotency key), uploads by their name, which derives from it. */
    private static void assertOneUploadAndOneBatchPerAttempt(Ledger ledger, EmulatorStats stats) {
        List<String> keys = ledger.attempts.stream().map(a -> a.key).sorted().toList();
        assertEquals(keys.size(), new HashSet<>(keys).size(), "one key per attempt: " + keys);
        assertEquals(keys, stats.batchDisplayNames().stream().sorted().toList(), "batches at the provider vs attempts");
        assertEquals(ledger.attempts.stream().map(AttemptSubmitter::remoteFileName).sorted().toList(),
                stats.batchFileNames().stream().sorted().toList(), "uploads at the provider vs attempts");
        assertEquals(ledger.attempts.size(), stats.filesUploaded());
    }
}
