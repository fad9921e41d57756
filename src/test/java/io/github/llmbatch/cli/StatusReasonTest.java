package io.github.llmbatch.cli;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import org.jberet.runtime.JobExecutionImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code llm-batch status} says why an execution failed, with the path. */
class StatusReasonTest {

    @TempDir
    Path dir;

    @Test
    void statusShowsTheReasonAFailedRunRecorded() throws Exception {
        Path input = dir.resolve("missing.jsonl");
        Properties p = new Properties();
        p.setProperty("input", input.toString());
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("baseUrl", "embedded");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "About {{name}}");
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.start("llm-batch", p);
        ((JobExecutionImpl) operator.getJobExecution(id)).awaitTermination(1, TimeUnit.MINUTES);

        ExecutionStatus status = new ExecutionLookup(operator, dir).status(id);

        assertEquals(BatchStatus.FAILED.name(), status.batchStatus());
        assertEquals("input " + input + " does not exist", status.reason());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StatusCommand.print(status, new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("\n  reason: input " + input + " does not exist\n"),
                text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReasonComesFromTheFailedStepWhenTheJobRecordedNone() {
        StepStatus prepare = new StepStatus("prepare", "COMPLETED", "COMPLETED", null, null, Map.of());
        StepStatus merge = new StepStatus("merge", "FAILED", "FAILED: cannot write /o/out.jsonl: No space left on device",
                null, null, Map.of());
        assertEquals("cannot write /o/out.jsonl: No space left on device",
                ExecutionStatus.reasonOf("FAILED", "FAILED", List.of(prepare, merge)));
        assertEquals("no reason recorded; see the log of the process that ran it",
                ExecutionStatus.reasonOf("FAILED", "FAILED", List.of(prepare)));
        assertEquals("job instance llm-batch/7 is running elsewhere",
                ExecutionStatus.reasonOf("FAILED", "REFUSED: job instance llm-batch/7 is running elsewhere", List.of()));
        assertNull(ExecutionStatus.reasonOf("COMPLETED", "COMPLETED", List.of(prepare)));
    }
}
