package io.github.llmbatch.job;

import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run report at the end of the merge: a report that cannot be written fails the job, a restart writes it. */
class RunReportJobTest {

    @Test
    void aReportThatCannotBeWrittenFailsTheMergeAndTheRestartWritesItCountingEachRecordOnce(@TempDir Path dir)
            throws Exception {
        Path input = dir.resolve("in.jsonl");
        JobTestSupport.writeRecords(input, 25);
        Files.writeString(input, "{\"no\":\"id\"}\n", java.nio.file.StandardOpenOption.APPEND);
        Properties p = JobTestSupport.params(dir, input);
        p.setProperty("maxRequestsPerFile", "10");
        // a directory where the report goes: the page cannot be renamed over it
        Path report = dir.resolve("out.jsonl.report.html");
        Files.createDirectories(report.resolve("in-the-way"));

        JobExecution first = JobRunner.run(p);
        assertEquals(BatchStatus.FAILED, first.getBatchStatus());
        assertTrue(first.getExitStatus().startsWith("FAILED: cannot write the run report: "), first.getExitStatus());
        assertEquals(25, Files.readAllLines(dir.resolve("out.jsonl")).size(), "the output is whole");

        Files.delete(report.resolve("in-the-way"));
        Files.delete(report);
        JobExecution second = JobRunner.restart(first.getExecutionId(), new Properties());
        assertEquals(BatchStatus.COMPLETED, second.getBatchStatus(), second.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), second);
        assertEquals(25L, ledger.merge.succeeded, "each record counted once over both executions");
        assertEquals(0L, ledger.merge.failed);
        assertEquals(report.toString(), ledger.merge.report);
        String html = Files.readString(report);
        assertTrue(html.contains("data-figure=\"ledger.succeeded\" data-value=\"25\""), html);
        assertTrue(html.contains("data-figure=\"ledger.rejects\" data-value=\"1\""), html);
        assertTrue(html.contains("data-figure=\"executionId\" data-value=\"" + second.getExecutionId() + "\""));
        assertFalse(Files.exists(dir.resolve(".out.jsonl.report.html.tmp")), "no temporary file left");
    }
}
