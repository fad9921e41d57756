package io.github.llmbatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobParametersTest {

    @TempDir
    Path tmp;

    @Test
    void relativePathsInTheFileAreRelativeToTheFilesDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("jobs/nightly"));
        Path file = dir.resolve("job.properties");
        Files.writeString(file, """
                input=data/in.jsonl
                output=../out/merged.jsonl
                rejects=/var/tmp/rejects.jsonl
                workDir=work
                responseSchema=schemas/label.json
                model=gpt-4o-mini
                userTemplate=Classify: {{text}}
                """, StandardCharsets.UTF_8);

        Properties p = JobPropertiesFile.load(file);

        assertEquals(dir.resolve("data/in.jsonl").toString(), p.getProperty("input"));
        assertEquals(tmp.resolve("jobs/out/merged.jsonl").toString(), p.getProperty("output"));
        assertEquals("/var/tmp/rejects.jsonl", p.getProperty("rejects"));
        assertEquals(dir.resolve("work").toString(), p.getProperty("workDir"));
        assertEquals(dir.resolve("schemas/label.json").toString(), p.getProperty("responseSchema"));
        assertEquals("gpt-4o-mini", p.getProperty("model"));
        assertEquals("Classify: {{text}}", p.getProperty("userTemplate"));
    }

    @Test
    void fileIsReadAsUtf8() throws Exception {
        Path file = tmp.resolve("job.properties");
        Files.writeString(file, "systemPrompt=Réponds en français — brièvement\n", StandardCharsets.UTF_8);
        assertEquals("Réponds en français — brièvement", JobPropertiesFile.load(file).getProperty("systemPrompt"));
    }

    @Test
    void missingFileIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> JobPropertiesFile.load(tmp.resolve("nope.properties")));
        assertTrue(e.getMessage().contains("nope.properties"));
    }

    @Test
    void overridesResolveAgainstTheCurrentDirectoryAndWin() throws Exception {
        Path cwd = tmp.resolve("elsewhere");
        Properties file = new Properties();
        file.setProperty("output", "/data/out.jsonl");
        file.setProperty("model", "a");
        file.setProperty("maxTokens", "10");

        Properties overrides = JobParameters.parseOverrides(List.of("output=out2.jsonl", "model=b", "empty="), cwd);
        Properties merged = JobParameters.merge(file, overrides);

        assertEquals(cwd.resolve("out2.jsonl").toString(), merged.getProperty("output"));
        assertEquals("b", merged.getProperty("model"));
        assertEquals("10", merged.getProperty("maxTokens"));
        assertEquals("", merged.getProperty("empty"));
    }

    @Test
    void overrideValueMayContainEquals() throws Exception {
        Properties p = JobParameters.parseOverrides(List.of("userTemplate=a=b {{x}}"), tmp);
        assertEquals("a=b {{x}}", p.getProperty("userTemplate"));
    }

    @Test
    void overrideWithoutKeyIsAUsageError() {
        assertThrows(UsageException.class, () -> JobParameters.parseOverrides(List.of("=x"), tmp));
        assertThrows(UsageException.class, () -> JobParameters.parseOverrides(List.of("novalue"), tmp));
    }

    @Test
    void workDirIsPinnedToAnAbsolutePath() {
        Properties none = new Properties();
        JobParameters.pinWorkDir(none, tmp);
        assertEquals(tmp.resolve(JobParameters.DEFAULT_WORK_DIR).toString(), none.getProperty("workDir"));

        Properties given = new Properties();
        given.setProperty("workDir", "/srv/llm");
        JobParameters.pinWorkDir(given, tmp);
        assertEquals("/srv/llm", given.getProperty("workDir"));
    }

    @Test
    void lineBreaksInTemplatesAreWrittenAsEscapesAndElsewhereRefused() throws Exception {
        Properties p = new Properties();
        p.setProperty("systemPrompt", "line one\nline two\r\nthree");
        JobParameters.requireStorable(p);
        assertEquals("line one\\nline two\\nthree", p.getProperty("systemPrompt"));

        Properties other = new Properties();
        other.setProperty("output", "a\rb");
        UsageException e = assertThrows(UsageException.class, () -> JobParameters.requireStorable(other));
        assertTrue(e.getMessage().contains("output"));
    }

    @Test
    void oneLineValuesAreStorable() throws Exception {
        Properties p = new Properties();
        p.setProperty("userTemplate", "x = y, tabs\tand \\n escapes stay");
        JobParameters.requireStorable(p);
    }
}
