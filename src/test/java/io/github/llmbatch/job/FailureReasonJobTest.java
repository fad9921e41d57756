package io.github.llmbatch.job;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
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

/** Whatever step fails, the job's exit status says why and names the file. */
class FailureReasonJobTest {

    @TempDir
    Path dir;

    static String stepExitStatus(JobExecution execution, String step) {
        return BatchRuntime.getJobOperator().getStepExecutions(execution.getExecutionId()).stream()
                .filter(s -> s.getStepName().equals(step)).map(StepExecution::getExitStatus).findFirst().orElseThrow();
    }

    @Test
    void aMissingInputIsNamed() throws Exception {
        Path input = dir.resolve("nowhere.jsonl");

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: input " + input + " does not exist", execution.getExitStatus());
        assertEquals(execution.getExitStatus(), stepExitStatus(execution, "prepare"));
    }

    @Test
    void anInputThatIsADirectoryIsNamed() throws Exception {
        Path input = Files.createDirectory(dir.resolve("records"));

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: input " + input + " is a directory, not a file of records", execution.getExitStatus());
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedFailsBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        Path output = blocker.resolve("sub").resolve("out.jsonl");
        Properties p = params(dir, input);
        p.setProperty("output", output.toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: output " + output + ": its directory "
                + output.getParent() + " cannot be created: "), execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared, nothing uploaded");
        assertTrue(BatchRuntime.getJobOperator().getStepExecutions(execution.getExecutionId()).isEmpty());
    }

    @Test
    void anOutputThatIsADirectoryIsRefusedBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Path output = Files.createDirectory(dir.resolve("out"));
        Properties p = params(dir, input);
        p.setProperty("output", output.toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals("FAILED: output " + output + " is a directory; name a file", execution.getExitStatus());
    }

    @Test
    void anOutputTableThatCannotBeCreatedFailsBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        String url = "jdbc:h2:file:" + dir.resolve("db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE TABLE other (x INT)");
        }
        Properties p = params(dir, input);
        p.setProperty("outputDataSource", url + ";ACCESS_MODE_DATA=r");
        p.setProperty("outputTable", "answers");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: cannot open output table answers: "),
                execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared, nothing uploaded");
    }

    @Test
    void aWorkDirectoryThatCannotBeCreatedIsNamed() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        Properties p = params(dir, input);
        p.setProperty("workDir", blocker.resolve("work").toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: cannot lock " + blocker.resolve("work")),
                execution.getExitStatus());
        assertTrue(execution.getExitStatus().endsWith(blocker.resolve("work") + ": Not a directory"),
                execution.getExitStatus());
    }

    @Test
    void aRunWhereEveryRecordIsRejectedFailsPointingAtTheRejects() throws Exception {
        Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of("not json", "{\"id\":\"a\"}", "[1]"));

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        Path rejects = dir.resolve("out.jsonl.rejects.jsonl");
        assertEquals("FAILED: every record (3) was rejected: see " + rejects + "; nothing was sent",
                execution.getExitStatus());
        assertEquals(3, Files.readAllLines(rejects).size());
        assertEquals(BatchStatus.COMPLETED.name(), stepExitStatus(execution, "prepare"));
        assertEquals(execution.getExitStatus(), stepExitStatus(execution, "submit"));
    }

    @Test
    void anEmptyInputStillCompletes() throws Exception {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        assertEquals(0, Files.size(dir.resolve("out.jsonl")));
    }

    @Test
    void aFailedUploadIsNamedWithTheProvidersAnswer() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Properties p = params(dir, input);
        // a spec of its own: the embedded emulator (and its fault count) is shared per spec in this JVM
        p.setProperty("emulatorFaults", "upload=400x1;shuffle=false");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: shard 1 attempt 1: cannot upload "
                + dir.resolve("work") + "/instance-"), execution.getExitStatus());
        assertTrue(execution.getExitStatus().endsWith("/shards/shard-00001.requests.jsonl: POST /v1/files: HTTP 400 "
                + "invalid_request_error: [emulated] Bad request (injected fault)."), execution.getExitStatus());
        assertEquals(execution.getExitStatus(), stepExitStatus(execution, "submit"));
    }

    @Test
    void aFailedDownloadIsNamedWithTheFileItWasFor() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 5);
        Properties p = params(dir, input);
        p.setProperty("emulatorFaults", "content=404x1");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        String exit = execution.getExitStatus();
        assertTrue(exit.startsWith("FAILED: shard 1 attempt 1: cannot download file-"), exit);
        assertTrue(exit.contains(" to " + dir.resolve("work") + "/instance-"), exit);
        assertTrue(exit.contains("/results/shard-00001.attempt-1.output.jsonl: GET /v1/files/"), exit);
        assertTrue(exit.contains("HTTP 404"), exit);
        assertEquals(exit, stepExitStatus(execution, "poll"));
    }
}
