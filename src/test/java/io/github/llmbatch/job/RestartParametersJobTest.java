package io.github.llmbatch.job;

import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restart may change how the job runs, never what it does: the parameters that shape the
 * requests and records are fixed for the job instance, and a restart changing one is refused
 * before any step runs, naming it.
 */
class RestartParametersJobTest {

    private static final int RECORDS = 60_000;

    @TempDir
    Path dir;

    @Test
    void aRestartChangingTheInputModelOrWorkDirIsRefusedAndOneChangingThePollIntervalGoesOn() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, RECORDS);
        Path other = dir.resolve("other.jsonl");
        writeRecords(other, 10);
        JobOperator operator = BatchRuntime.getJobOperator();
        long first = operator.start("llm-batch", params(dir, input));
        awaitItemsRead(operator, first, "prepare", 20_000);
        operator.stop(first);
        JobExecution stopped = JobRunner.await(operator, first);
        Ledger midPrepare = JobTestSupport.ledgerOf(dir.resolve("work"), stopped);

        JobExecution otherInput = JobRunner.restart(first, props("input", other.toString()));
        JobExecution otherModel = JobRunner.restart(otherInput.getExecutionId(),
                props("input", input.toString(), "model", "gpt-4o", "maxTokens", "5"));
        JobExecution otherWorkDir = JobRunner.restart(otherModel.getExecutionId(),
                props("model", "gpt-4o-mini", "maxTokens", "", "workDir", dir.resolve("work2").toString()));
        // the same values spelt another way, and operational parameters changed
        JobExecution done = JobRunner.restart(otherWorkDir.getExecutionId(), props("workDir",
                dir.resolve("work").toString(), "maxBytesPerFile", "200MB", "endpoint", "/chat/completions",
                "pollInterval", "100ms", "maxAttempts", "2"));

        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        assertEquals(List.of("prepare:STOPPED"), operator.getStepExecutions(first).stream()
                .map(step -> step.getStepName() + ":" + step.getBatchStatus()).toList(), "stopped mid-prepare");
        assertEquals("gpt-4o-mini", midPrepare.fixedParameters.get("model"));
        assertEquals(input.toString(), midPrepare.fixedParameters.get("input"));

        assertRefused(otherInput, "FAILED: job instance " + instanceId(first) + " cannot change input '" + input
                + "' -> '" + other + "': these parameters shape the requests and records, so they are fixed for"
                + " a job instance. Restart with the earlier values (restart ... -p 'input=" + input + "'), or start"
                + " a new run");
        assertRefused(otherModel, "FAILED: job instance " + instanceId(first) + " cannot change model 'gpt-4o-mini'"
                + " -> 'gpt-4o'; maxTokens (unset) -> '5': these parameters shape the requests and records, so they"
                + " are fixed for a job instance. Restart with the earlier values (restart ... -p 'model=gpt-4o-mini'"
                + " -p 'maxTokens='), or start a new run");
        assertRefused(otherWorkDir, "FAILED: job instance " + instanceId(first) + " cannot change workDir '"
                + dir.resolve("work") + "' -> '" + dir.resolve("work2") + "': its ledger and shards are in "
                + dir.resolve("work").resolve("instance-" + instanceId(first)));
        assertFalse(Files.exists(dir.resolve("work2").resolve("instance-" + instanceId(first)).resolve("shards")));

        assertEquals(BatchStatus.COMPLETED, done.getBatchStatus(), done.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(RECORDS, out.size());
        for (int i = 0; i < RECORDS; i += 997) {
            assertTrue(out.get(i).startsWith("{\"id\":\"r-" + (i + 1) + "\",\"status\":\"succeeded\""), out.get(i));
        }
        assertFalse(Files.exists(dir.resolve("out.jsonl.rejects.jsonl"))
                && Files.size(dir.resolve("out.jsonl.rejects.jsonl")) > 0, "no rejects");
    }

    @Test
    void afterPrepareAChangedModelIsRefusedToo() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 20);
        Properties p = params(dir, input);
        p.setProperty("emulatorFaults", "upload=400x1"); // fails submit once, after prepare

        JobExecution failed = JobRunner.run(p);
        JobExecution otherModel = JobRunner.restart(failed.getExecutionId(), props("model", "gpt-4o"));
        JobExecution done = JobRunner.restart(otherModel.getExecutionId(), props("model", "gpt-4o-mini"));

        assertEquals(BatchStatus.FAILED, failed.getBatchStatus());
        assertEquals(List.of("prepare:COMPLETED", "submit:FAILED"),
                BatchRuntime.getJobOperator().getStepExecutions(failed.getExecutionId()).stream()
                        .map(step -> step.getStepName() + ":" + step.getBatchStatus()).toList());
        assertRefused(otherModel, "FAILED: job instance " + instanceId(failed.getExecutionId())
                + " cannot change model 'gpt-4o-mini' -> 'gpt-4o': ");
        assertEquals(BatchStatus.COMPLETED, done.getBatchStatus(), done.getExitStatus());
        assertEquals(20, Files.readAllLines(dir.resolve("out.jsonl")).size());
    }

    private static void assertRefused(JobExecution execution, String exitStatusStart) {
        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith(exitStatusStart), execution.getExitStatus());
        assertEquals(List.of(), BatchRuntime.getJobOperator().getStepExecutions(execution.getExecutionId()),
                "no step ran");
    }

    private static long instanceId(long executionId) {
        return BatchRuntime.getJobOperator().getJobInstance(executionId).getInstanceId();
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    /** Waits until a chunk step has committed at least {@code items} reads. */
    private static void awaitItemsRead(JobOperator operator, long executionId, String step, long items)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (StepExecution s : operator.getStepExecutions(executionId)) {
                if (s.getStepName().equals(step)) {
                    for (Metric m : s.getMetrics()) {
                        if (m.getType() == Metric.MetricType.READ_COUNT && m.getValue() >= items) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError(step + " did not read " + items + " items within a minute");
    }

}
