package io.github.llmbatch.job;

import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.emulator.EmulatorStats;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code JobOperator.stop()} (Ctrl-C in the CLI) while an upload or a create hangs: the job is
 * STOPPED at once, not after the call's timeout and its retries, and the restart finds what the cut
 * call made (the file by name, the batch by its key) instead of making it again.
 */
class StopDuringCallJobTest {

    @TempDir
    Path dir;

    @Test
    void stopEndsAHungUploadAndTheRestartUsesTheStoredFile() throws Exception {
        // the first upload is stored and then never answered; validatingMs only makes this emulator our own
        Ledger.Attempt cut = stopAndRestart("uploadLost=hang;validatingMs=7", s -> s.filesUploaded() >= 1);
        assertNotNull(cut.uploadStartedAt, "the intent was recorded before the call");
        assertNull(cut.fileId, "the answer never came");
    }

    @Test
    void stopEndsAHungCreateAndTheRestartUsesTheCreatedBatch() throws Exception {
        Ledger.Attempt cut = stopAndRestart("createLost=hang;validatingMs=8", s -> s.batchesCreated() >= 1);
        assertNotNull(cut.fileId);
        assertNotNull(cut.createStartedAt, "the intent was recorded before the call");
        assertNull(cut.batchId, "the answer never came");
    }

    /** Runs until {@code hanging} holds, stops, checks the stop was prompt, restarts; the first attempt as cut. */
    private Ledger.Attempt stopAndRestart(String faults, Predicate<EmulatorStats> hanging)
            throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 30);
        Properties p = params(dir, input);
        p.setProperty("maxRequestsPerFile", "10");
        p.setProperty("emulatorFaults", faults);
        p.setProperty("httpTimeout", "60s");
        EmulatorStats emulator = EmbeddedEmulator.shared(faults).stats();
        JobOperator operator = BatchRuntime.getJobOperator();

        long id = operator.start("llm-batch", p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!hanging.test(emulator) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(hanging.test(emulator), "the call reached the emulator");
        Thread.sleep(300); // well inside the hang: the call was performed, its answer never comes
        long stoppedAt = System.nanoTime();
        operator.stop(id);
        JobExecution stopped = JobRunner.await(operator, id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);

        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        // 60 s timeout and 6 retries without the stop; the CLI's promise is 2 s, the margin is for a busy machine
        assertTrue(millis < 5_000, "stopped after " + millis + " ms");
        Ledger.Attempt first = JobTestSupport.ledgerOf(dir.resolve("work"), stopped).attempt(1, 1).orElseThrow();

        JobExecution restarted = JobRunner.restart(id, new Properties());

        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus());
        assertEquals(3, emulator.filesUploaded(), "one upload per shard: the restart found the stored one");
        assertEquals(3, emulator.batchesCreated(), "one batch per shard: the restart found the created one");
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(30, out.size());
        assertTrue(out.stream().allMatch(line -> line.contains("\"status\":\"succeeded\"")), out.toString());
        return first;
    }
}
