package io.github.llmbatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dispatch and exit codes for command lines that never reach the batch runtime. */
class MainTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        CliContext cli = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), tmp);
        return Main.run(List.of(args), cli);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpGoesToStdoutAndNamesEveryCommandAndTheRepository() {
        assertEquals(0, run("--help"));
        for (String command : List.of("run JOB.properties", "restart EXECUTION_ID", "status", "list",
                "report EXECUTION_ID [--out FILE]", "emulator",
                "LLM_BATCH_REPOSITORY", "job-repository")) {
            assertTrue(out().contains(command), command);
        }
        assertEquals("", err());
        assertEquals(0, run("help"));
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().contains("usage: llm-batch"));
    }

    @Test
    void unknownCommandIsAUsageErrorOnStderr() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"));
        assertTrue(err().contains("usage: llm-batch"));
        assertEquals("", out());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, run("run"));
        assertEquals(2, run("run", "missing.properties"));
        assertTrue(err().contains("missing.properties"));
        assertEquals(2, run("status", "--bogus"));
        assertEquals(2, run("restart", "not-a-number"));
        assertEquals(2, run("list", "extra"));
        assertEquals(2, run("report"));
        assertEquals(2, run("report", "1", "--out"));
        assertTrue(err().contains("option --out needs a value"), err());
        assertEquals(2, run("report", "0"));
    }

    @Test
    void rootMessageDigsOutTheCause() {
        Exception e = new RuntimeException("outer", new IllegalStateException("middle", new Exception("the reason")));
        assertEquals("the reason", Main.rootMessage(e));
    }
}
