package io.github.llmbatch.job;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameters given to the job through JobOperator (as the REST API and server code do, with no
 * CLI in front) are checked by the job itself, before anything is read.
 */
class RefusedParametersJobTest {

    @TempDir
    Path dir;

    private Properties fiveRecords() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        return params(dir, input);
    }

    @Test
    void anUnknownParameterFailsTheJobNamingItAndTheOneMeant() throws Exception {
        Properties p = fiveRecords();
        p.setProperty("maxToken", "5");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: unknown job parameter 'maxToken': did you mean maxTokens?", execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared");
    }

    @Test
    void aSecretLookingParameterFailsTheJobPointingAtApiKeyEnv() throws Exception {
        Properties p = fiveRecords();
        p.setProperty("apiKey", "sk-test-not-a-real-key");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: job parameter 'apiKey' looks like a secret"),
                execution.getExitStatus());
        assertTrue(execution.getExitStatus().contains("apiKeyEnv"), execution.getExitStatus());
        assertFalse(execution.getExitStatus().contains("sk-test"), execution.getExitStatus());
    }

    @Test
    void dryRunYesIsRefusedInsteadOfRunningForReal() throws Exception {
        Properties p = fiveRecords();
        p.setProperty("dryRun", "yes");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: dryRun 'yes' is not true or false", execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("out.jsonl")));
    }

    @Test
    void aTemperatureAboveTwoIsRefusedBeforeAnythingIsRead() throws Exception {
        Properties p = fiveRecords();
        p.setProperty("temperature", "2.5");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: temperature '2.5' is outside 0 to 2", execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared");
    }

    @Test
    void aDryRunNeedsNoApiKey() throws Exception {
        Properties p = fiveRecords();
        p.setProperty("baseUrl", "http://127.0.0.1:9/v1");
        p.setProperty("apiKeyEnv", "LLM_BATCH_TEST_KEY_THAT_IS_NOT_SET");
        p.setProperty("dryRun", "true");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        assertEquals("DRY_RUN", execution.getExitStatus());
        assertEquals(5, JobTestSupport.ledgerOf(dir.resolve("work"), execution).prepare.requests);
    }
}
