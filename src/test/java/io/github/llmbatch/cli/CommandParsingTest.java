package io.github.llmbatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParsingTest {

    @TempDir
    Path tmp;

    @Test
    void runCombinesFileOverridesAndPinnedWorkDir() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("job"));
        Files.writeString(dir.resolve("job.properties"), "input=in.jsonl\nmodel=m1\n");
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));

        RunCommand.Request r = RunCommand.parse(List.of("../job/job.properties", "-p", "model=m2", "-p", "output=o.jsonl"), cwd);

        assertEquals("llm-batch", r.jobName());
        assertEquals(dir.resolve("in.jsonl").toString(), r.parameters().getProperty("input"));
        assertEquals(cwd.resolve("o.jsonl").toString(), r.parameters().getProperty("output"));
        assertEquals("m2", r.parameters().getProperty("model"));
        assertEquals(cwd.resolve("llm-batch-work").toString(), r.parameters().getProperty("workDir"));
    }

    @Test
    void runTakesAnotherJobName() throws Exception {
        Files.writeString(tmp.resolve("j.properties"), "");
        assertEquals("other", RunCommand.parse(List.of("j.properties", "--job", "other"), tmp).jobName());
    }

    @Test
    void runNeedsExactlyOneFile() {
        assertThrows(UsageException.class, () -> RunCommand.parse(List.of(), tmp));
        assertThrows(UsageException.class, () -> RunCommand.parse(List.of("a.properties", "b.properties"), tmp));
    }

    @Test
    void runKeepsAMultiLinePromptOnOneLineAndRefusesOtherLineBreaks() throws Exception {
        Files.writeString(tmp.resolve("j.properties"), "systemPrompt=first\\nsecond\n");
        RunCommand.Request r = RunCommand.parse(List.of("j.properties"), tmp);
        assertEquals("first\\nsecond", r.parameters().getProperty("systemPrompt"));
        Files.writeString(tmp.resolve("k.properties"), "input=a\\nb\n");
        UsageException e = assertThrows(UsageException.class, () -> RunCommand.parse(List.of("k.properties"), tmp));
        assertTrue(e.getMessage().contains("input"));
    }

    @Test
    void restartTakesAnIdAndOverridesOnly() throws Exception {
        RestartCommand.Request r = RestartCommand.parse(List.of("7", "-p", "output=x.jsonl", "-p", "maxAttempts=5"), tmp);
        assertEquals(7L, r.executionId());
        assertEquals(tmp.resolve("x.jsonl").toString(), r.overrides().getProperty("output"));
        assertEquals("5", r.overrides().getProperty("maxAttempts"));
        assertNull(r.overrides().getProperty("workDir"), "restart keeps the original work directory");
        assertThrows(UsageException.class, () -> RestartCommand.parse(List.of(), tmp));
        assertThrows(UsageException.class, () -> RestartCommand.parse(List.of("x"), tmp));
    }

    @Test
    void statusDefaultsToTheNewestExecution() throws Exception {
        StatusCommand.Request newest = StatusCommand.parse(List.of());
        assertNull(newest.executionId());
        assertFalse(newest.json());
        StatusCommand.Request one = StatusCommand.parse(List.of("--json", "12"));
        assertEquals(12L, one.executionId());
        assertTrue(one.json());
        assertThrows(UsageException.class, () -> StatusCommand.parse(List.of("1", "2")));
    }

    @Test
    void listShowsTwentyUnlessAll() throws Exception {
        assertEquals(ListCommand.DEFAULT_LIMIT, ListCommand.parse(List.of()).limit());
        assertEquals(0, ListCommand.parse(List.of("--all", "--json")).limit());
        assertTrue(ListCommand.parse(List.of("--json")).json());
        assertThrows(UsageException.class, () -> ListCommand.parse(List.of("5")));
    }
}
