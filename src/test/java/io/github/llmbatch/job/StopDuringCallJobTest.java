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
import java.util.concurrent.TimeUnit;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code JobOperator.stop()} (Ctrl-C in the CLI) while an upload hangs: the job is STOPPED at once,
 * not after the call's timeout and its retries, and the restart finds the file the cut upload stored
 * instead of uploading it again.
 */
class StopDuringCallJobTest {

    // the first upload is stored and then never answered; validatingMs only makes this emulator our own
    private static final String FAULTS = "uploadLost=hang;validatingMs=7";

    @TempDir
    Path dir;

    @Test
    void stopEndsAHungUploadAndTheRestartUsesTheStoredFile() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 30);
        Properties p = params(dir, input);
        p.setProperty("maxRequestsPerFile", "10");
        p.setProperty("emulatorFaults", FAULTS);
        p.setProperty("httpTimeout", "60s");
        EmulatorStats emulator = EmbeddedEmulator.shared(FAULTS).stats();
        JobOperator operator = BatchRuntime.getJobOperator();

        long id = operator.start("llm-batch", p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (emulator.filesUploaded() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, emulator.filesUploaded(), "the first upload reached the emulator");
        Thread.sleep(300); // well inside the hang: the upload is stored, its answer never comes
        long stoppedAt = System.nanoTime();
        operator.stop(id);
        JobExecution stopped = JobRunner.await(operator, id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);

        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        // 60 s timeout and 6 retries without the stop; the CLI's promise is 2 s, the margin is for a busy machine
        assertTrue(millis < 5_000, "stopped after " + millis + " ms");
        Ledger cut = JobTestSupport.ledgerOf(dir.resolve("work"), stopped);
        Ledger.Attempt first = cut.attempt(1, 1).orElseThrow();
        assertNotNull(first.uploadStartedAt, "the intent was recorded before the call");
        assertNull(first.fileId, "the answer never came");

        JobExecution restarted = JobRunner.restart(id, new Properties());

        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus());
        assertEquals(3, emulator.filesUploaded(), "one upload per shard: the restart found the stored one");
        assertEquals(3, emulator.batchesCreated());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(30, out.size());
        assertTrue(out.stream().allMatch(line -> line.contains("\"status\":\"succeeded\"")), out.toString());
    }
}
