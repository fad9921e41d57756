package io.github.llmbatch.job;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
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

/** Failures that retrying cannot fix end the job with the reason in its exit status. */
class JobFailureTest {

    @TempDir
    Path dir;

    @Test
    void aBatchRefusedByTheProviderFailsTheJobWithTheProvidersErrors() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 30);
        Properties p = params(dir, input);
        p.setProperty("emulatorFaults", "maxRequests=10");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: batch "), execution.getExitStatus());
        assertTrue(execution.getExitStatus().contains("too_many_tasks"), execution.getExitStatus());
    }

    @Test
    void aMissingApiKeyFailsBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Properties p = params(dir, input);
        p.setProperty("baseUrl", "http://127.0.0.1:9/v1");
        p.setProperty("apiKeyEnv", "LLM_BATCH_TEST_KEY_THAT_IS_NOT_SET");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().contains("set the environment variable LLM_BATCH_TEST_KEY_THAT_IS_NOT_SET"),
                execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared");
    }

    @Test
    void aBadParameterIsNamed() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Properties p = params(dir, input);
        p.setProperty("pollInterval", "soon");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().contains("pollInterval 'soon'"), execution.getExitStatus());
    }

    @Test
    void aWorkDirectoryHoldingAnotherInstancesFilesIsRefused() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        // a dry run of our own shows the newest instance id; the next start gets the one after it
        // (the in-memory repository counts instances up by one; tests in this JVM run one at a time)
        Properties dry = params(dir, input);
        dry.setProperty("workDir", dir.resolve("dry-work").toString());
        dry.setProperty("dryRun", "true");
        long next = instanceId(JobRunner.run(dry)) + 1;
        // what a first execution of that instance finds when an older repository used the same workDir
        Path stale = dir.resolve("work").resolve("instance-" + next);
        Files.createDirectories(stale.resolve("shards"));

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(next, instanceId(execution), "another job started in between");
        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: work directory " + stale + " already holds the files of an earlier job instance "
                + next + " (from another job repository?); use another workDir or remove that directory",
                execution.getExitStatus());
        assertEquals(List.of(), Files.list(stale.resolve("shards")).toList(), "nothing was written there");
    }

    private static long instanceId(JobExecution execution) {
        return BatchRuntime.getJobOperator().getJobInstance(execution.getExecutionId()).getInstanceId();
    }
}
