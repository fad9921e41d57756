package io.github.llmbatch.cli;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.jberet.runtime.JobExecutionImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run and restart refuse unknown and secret-looking parameter names before JobOperator sees
 * them: the job repository stores every parameter in clear text.
 */
class ParameterRefusalTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        CliContext cli = new CliContext(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), tmp);
        return Main.run(List.of(args), cli);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void writeJob() throws Exception {
        Files.writeString(tmp.resolve("in.jsonl"), "{\"id\":1,\"text\":\"a\"}\n");
        Files.writeString(tmp.resolve("job.properties"),
                "input=in.jsonl\nmodel=gpt-4o-mini\nuserTemplate={{text}}\nbaseUrl=embedded\n");
    }

    @Test
    void runRefusesAMisspeltNameBeforeStarting() throws Exception {
        writeJob();

        assertEquals(2, cli("run", "job.properties", "-p", "maxToken=5"));

        assertTrue(err().startsWith("llm-batch: unknown job parameter 'maxToken': did you mean maxTokens?"), err());
        assertFalse(Files.exists(tmp.resolve("llm-batch-work")), "no job ran");
    }

    @Test
    void runRefusesASecretInTheJobPropertiesWithoutPrintingIt() throws Exception {
        writeJob();
        Files.writeString(tmp.resolve("job.properties"), "apiKey=sk-live-do-not-store\n",
                StandardOpenOption.APPEND);

        UsageException e = assertThrows(UsageException.class,
                () -> RunCommand.parse(List.of("job.properties"), tmp));

        assertTrue(e.getMessage().startsWith("job parameter 'apiKey' looks like a secret"), e.getMessage());
        assertTrue(e.getMessage().contains("apiKeyEnv"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-live"), e.getMessage());
    }

    @Test
    void anotherJobsParametersAreItsOwnBusiness() throws Exception {
        Files.writeString(tmp.resolve("j.properties"), "records=3\n");
        assertDoesNotThrow(() -> RunCommand.parse(List.of("j.properties", "--job", "cli-test", "-p", "fail=true"), tmp));
    }

    @Test
    void restartRefusesASecretBeforeTheJobRepositoryStoresIt() throws Exception {
        writeJob();
        Properties p = new Properties();
        p.setProperty("input", tmp.resolve("in.jsonl").toString());
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "{{text}}");
        p.setProperty("baseUrl", "embedded");
        p.setProperty("workDir", tmp.resolve("work").toString());
        p.setProperty("pollInterval", "soon"); // fails at once: something to restart
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.start("llm-batch", p);
        ((JobExecutionImpl) operator.getJobExecution(id)).awaitTermination(1, TimeUnit.MINUTES);
        assertEquals(BatchStatus.FAILED, operator.getJobExecution(id).getBatchStatus());

        assertEquals(2, cli("restart", Long.toString(id), "-p", "pollInterval=1s", "-p", "openaiToken=sk-live-1"));

        assertTrue(err().startsWith("llm-batch: job parameter 'openaiToken' looks like a secret"), err());
        assertFalse(err().contains("sk-live"), err());
        List<JobExecution> executions = operator.getJobExecutions(operator.getJobInstance(id));
        assertEquals(1, executions.size(), "nothing was restarted");
        assertFalse(executions.stream().anyMatch(e -> e.getJobParameters().containsKey("openaiToken")));
    }
}
