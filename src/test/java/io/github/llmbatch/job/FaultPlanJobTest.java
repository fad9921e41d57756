package io.github.llmbatch.job;

import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.faultsFor;
import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job against the emulator's fault plan: every kind of provider trouble at once, and still
 * every record accounted for, retryable ones answered on a later attempt, permanent ones failed
 * with the provider's error, and one provider batch per shard attempt. Each test runs as OpenAI and as
 * Azure OpenAI (the same protocol; an Azure batch never expires, and a clean one has an empty error file).
 */
class FaultPlanJobTest {

    // 5 shards of 100. Batches are numbered in creation order: 1-5 are the first attempts.
    private static final String FAULTS = String.join(";",
            "upload=500x1",                 // first upload answered 500: retried by the transport
            "create=429x1", "retryAfter=1", // first create throttled with Retry-After
            "retrieve=502x2",               // status polls fail twice
            "fail400=r-1[0-9]",             // r-10..r-19: permanent 4xx
            "fail500=r-2[0-9]",             // r-20..r-29: 500 the first time
            "drop=r-3[0-9]",                // r-30..r-39: missing from both files the first time
            "timeout=r-4[0-9]",             // r-40..r-49: request_timeout the first time
            "expire=2",                     // shard 2's batch expires half-way (OpenAI; Azure's runs to the end)
            "allFail=3",                    // shard 3's batch: every line 500, no output file
            "tokenLimit=4",                 // shard 4's batch refused for the enqueued-token limit
            "shuffle=true");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure"})
    void everyRecordIsAccountedForThroughEveryFault(String provider) throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 500);
        Properties p = params(dir, input, provider);
        p.setProperty("maxRequestsPerFile", "100");
        String faults = faultsFor(provider, FAULTS);
        p.setProperty("emulatorFaults", faults);

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(500, out.size());
        for (int i = 1; i <= 500; i++) {
            String line = out.get(i - 1);
            assertTrue(line.startsWith("{\"id\":\"r-" + i + "\""), line);
            if (i >= 10 && i <= 19) {
                assertTrue(line.contains("\"status\":\"failed\""), line);
                assertTrue(line.contains("\"error\":{\"code\":\"invalid_request_error\",\"message\":\"[emulated]"), line);
                assertTrue(line.contains("\"attempts\":1,"), line);
            } else {
                assertTrue(line.contains("\"status\":\"succeeded\",\"content\":\"[emulated] r-" + i + ":"), line);
            }
            if (i >= 20 && i <= 49) {
                assertTrue(line.contains("\"attempts\":2,"), "retried once: " + line);
            }
        }

        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(5, ledger.shards.size());
        Ledger.Attempt shard2 = ledger.attempt(2, 1).orElseThrow();
        if (provider.equals("azure")) {
            assertEquals("completed", shard2.status, "Azure runs a batch until it is done");
            assertEquals(1, ledger.attemptsOf(2).size());
            assertTrue(shard2.errorRef != null, "a clean Azure batch has an (empty) error file");
        } else {
            assertEquals("expired", shard2.status);
            assertEquals(50, ledger.attempt(2, 2).orElseThrow().requests, "the unfinished half of the expired batch");
        }
        Ledger.Attempt shard3 = ledger.attempt(3, 1).orElseThrow();
        assertEquals(null, shard3.outputFile, "all-failed batch has no output file");
        assertEquals(100, ledger.attempt(3, 2).orElseThrow().requests);
        assertEquals(1, ledger.attempt(4, 1).orElseThrow().tokenLimitRefusals);

        List<String> keys = EmbeddedEmulator.shared(faults).stats().batchMetadataValues("llm_batch_key");
        assertEquals(keys.size(), new HashSet<>(keys).size(), "one provider batch per key: " + keys);
        long refusals = ledger.attempts.stream().mapToLong(a -> a.tokenLimitRefusals).sum();
        assertEquals(ledger.attempts.size() + refusals, keys.size(), "batches = attempts + refused creates");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure"})
    void aDamagedDownloadIsFetchedAgainAndEveryRecordAnswered(String provider) throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 20);
        Properties p = params(dir, input, provider);
        String faults = faultsFor(provider, "corruptOutput=1;truncateOutput=1;shuffle=false");
        p.setProperty("emulatorFaults", faults);

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(20, out.size());
        for (int i = 1; i <= 20; i++) {
            assertTrue(out.get(i - 1).startsWith("{\"id\":\"r-" + i + "\",\"status\":\"succeeded\""), out.get(i - 1));
            assertTrue(out.get(i - 1).contains("\"attempts\":1,"), out.get(i - 1));
        }
        assertEquals(3, EmbeddedEmulator.shared(faults).stats().outputFilesDownloaded(),
                "corrupted, truncated, then whole");
        assertEquals(1, JobTestSupport.ledgerOf(dir.resolve("work"), execution).attempts.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure"})
    void aLineDamagedInEveryDownloadIsAnsweredByTheNextAttempt(String provider) throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 20);
        Properties p = params(dir, input, provider);
        // every download of attempt 1 loses the second half of its middle line: r-11's
        String faults = faultsFor(provider, "corruptOutput=3;shuffle=false");
        p.setProperty("emulatorFaults", faults);

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(20, out.size());
        for (int i = 1; i <= 20; i++) {
            String line = out.get(i - 1);
            assertTrue(line.startsWith("{\"id\":\"r-" + i + "\",\"status\":\"succeeded\""), line);
            assertTrue(line.contains("\"attempts\":" + (i == 11 ? 2 : 1) + ","), line);
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(2, ledger.attempts.size());
        assertEquals(1, ledger.attempt(1, 2).orElseThrow().requests);
        assertEquals(4, EmbeddedEmulator.shared(faults).stats().outputFilesDownloaded());
    }
}
