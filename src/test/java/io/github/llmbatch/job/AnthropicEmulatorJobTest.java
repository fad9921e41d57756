package io.github.llmbatch.job;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.emulator.EmulatorStats;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job with {@code provider=anthropic} against the embedded emulator speaking Message
 * Batches: ids the provider's custom_id rule refuses come back as they went in, and with the fault
 * plan the job completes creating no batch twice and paying no request twice. Each test has a fault
 * spec of its own, so the emulator's counters are the test's alone.
 */
class AnthropicEmulatorJobTest {

    @TempDir
    Path dir;

    @Test
    void longIdsWithDotsColonsAndSlashesComeBackInInputOrderOneBatchPerShard() throws Exception {
        String faults = "shuffle=true;retryAfter=2";
        List<String> ids = writeRecords(2_600);
        Properties p = anthropicParams(faults);
        p.setProperty("maxRequestsPerFile", "1000");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(2_600, out.size());
        for (int i = 1; i <= out.size(); i++) {
            Map<String, Object> record = TestJson.object(out.get(i - 1));
            assertEquals(ids.get(i - 1), record.get("id"), "the record's own id, not the derived custom_id");
            assertEquals("succeeded", record.get("status"));
            assertTrue(((String) record.get("content")).endsWith(": Say something about item " + i), out.get(i - 1));
            assertEquals(new TestJson.Num("1"), record.get("attempts"));
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(List.of(1000L, 1000L, 600L), ledger.shards.stream().map(s -> s.requests).toList());
        EmulatorStats stats = EmbeddedEmulator.shared(faults).stats();
        assertEquals(3, stats.batchesCreated());
        assertEquals(List.of(1000, 1000, 600), stats.anthropicBatchCustomIds().stream().map(List::size).toList());
        assertPaidOnce(stats, 2_600);
    }

    /*
     * 4 shards of 100, one batch each in creation order. The first create is overloaded (529); the
     * second create's answer is lost (the batch exists: found again by listing); batch 2 expires after
     * running half its requests; polls fail twice with 500. Records 10-19 are invalid every time,
     * 20-29 fail once with api_error.
     */
    @Test
    void withOverloadLostCreateExpiryAndErrorsTheJobCompletesPayingEachRequestOnce() throws Exception {
        String faults = String.join(";", "create=529x1", "retryAfter=1", "createLost=500x1", "retrieve=500x2",
                "expire=2", "fail400=^r-1[0-9]$", "fail500=^r-2[0-9]$", "shuffle=false");
        // ids the custom_id rule takes as they are, so the fault plan's patterns name records
        JobTestSupport.writeRecords(dir.resolve("in.jsonl"), 400);
        Properties p = anthropicParams(faults);
        p.setProperty("maxRequestsPerFile", "100");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(400, out.size());
        int failed = 0;
        for (int i = 1; i <= out.size(); i++) {
            Map<String, Object> record = TestJson.object(out.get(i - 1));
            if (i >= 10 && i <= 19) {
                failed++;
                assertEquals("failed", record.get("status"), out.get(i - 1));
                assertEquals("invalid_request_error", TestJson.at(record, "error", "code"), out.get(i - 1));
                assertEquals(new TestJson.Num("1"), record.get("attempts"), "a permanent error is not retried");
            } else {
                assertEquals("succeeded", record.get("status"), out.get(i - 1));
            }
        }
        assertEquals(10, failed);
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        EmulatorStats stats = EmbeddedEmulator.shared(faults).stats();
        assertEquals(ledger.attempts.size(), stats.batchesCreated(), "one batch per shard attempt, the lost one too");
        assertEquals(ledger.attempts.stream().map(a -> (int) a.requests).toList(),
                stats.anthropicBatchCustomIds().stream().map(List::size).toList());
        assertTrue(ledger.attempts.size() > 4, "the retryable requests went into further attempts");
        assertPaidOnce(stats, 390);
    }

    /** Every succeeded result is one billed request: none twice, and as many as answered records. */
    private static void assertPaidOnce(EmulatorStats stats, int answered) {
        List<String> billed = stats.anthropicSucceededCustomIds();
        assertEquals(billed.size(), new HashSet<>(billed).size(), "a request paid twice: " + billed.size());
        assertEquals(answered, billed.size());
    }

    /** Ids of 80 characters with '.', ':', '/' and a non-ASCII letter, which Anthropic's custom_id refuses. */
    private List<String> writeRecords(int n) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            String prefix = "acme.example.com:orders/2026-11-29/\u00fc/";
            String id = prefix + "x".repeat(80 - prefix.length() - 6) + String.format("-%05d", i);
            ids.add(id);
            lines.append("{\"id\":\"").append(id).append("\",\"name\":\"item ").append(i).append("\"}\n");
        }
        Files.writeString(dir.resolve("in.jsonl"), lines, StandardCharsets.UTF_8);
        assertEquals(80, ids.get(0).length());
        return ids;
    }

    private Properties anthropicParams(String faults) {
        Properties p = params(dir, dir.resolve("in.jsonl"));
        p.setProperty("provider", "anthropic");
        p.setProperty("model", "claude-haiku-4-5");
        p.setProperty("maxTokens", "32");
        p.setProperty("emulatorFaults", faults);
        return p;
    }
}
