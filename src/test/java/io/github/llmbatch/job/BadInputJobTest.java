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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input never stops the job and never vanishes: input lines = output records + rejects. */
class BadInputJobTest {

    @TempDir
    Path dir;

    @Test
    void eachBadLineIsRejectedWithItsLineNumberAndReason() throws Exception {
        String big = "x".repeat(5_000);
        List<String> lines = List.of(
                "{\"id\":\"ok-1\",\"name\":\"one\"}",
                "{\"id\":\"broken\",\"name\":",                     // 2: not JSON
                "{\"name\":\"no id\"}",                            // 3: no id
                "{\"id\":\"ok-1\",\"name\":\"again\"}",             // 4: duplicate id
                "{\"id\":\"no-field\",\"other\":1}",               // 5: template field missing
                "{\"id\":\"huge\",\"name\":\"" + big + "\"}",       // 6: larger than maxBytesPerFile
                "",                                                // 7: empty line
                "[1,2,3]",                                         // 8: not an object
                "{\"id\":{\"nested\":1},\"name\":\"x\"}",           // 9: id not a scalar
                "{\"id\":42,\"name\":\"numeric id\"}");             // 10: fine, numeric id
        Path input = dir.resolve("in.jsonl");
        Files.write(input, lines);
        Properties p = params(dir, input);
        p.setProperty("maxBytesPerFile", "4KB");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        List<String> rejects = Files.readAllLines(dir.resolve("out.jsonl.rejects.jsonl"));
        assertEquals(lines.size(), out.size() + rejects.size());
        assertEquals(2, out.size());
        assertTrue(out.get(0).startsWith("{\"id\":\"ok-1\",\"status\":\"succeeded\""), out.get(0));
        assertTrue(out.get(1).startsWith("{\"id\":\"42\",\"status\":\"succeeded\""), out.get(1));

        assertReject(rejects.get(0), 2, null, "not valid JSON");
        assertReject(rejects.get(1), 3, null, "missing id field 'id'");
        assertReject(rejects.get(2), 4, "ok-1", "duplicate id 'ok-1'");
        assertReject(rejects.get(3), 5, "no-field", "missing field 'name'");
        assertReject(rejects.get(4), 6, "huge", "exceeds maxBytesPerFile 4000");
        assertReject(rejects.get(5), 7, null, "empty line");
        assertReject(rejects.get(6), 8, null, "not a JSON object");
        assertReject(rejects.get(7), 9, null, "must be a string or a number");
        assertTrue(rejects.get(2).contains("\"input\":\"{\\\"id\\\":\\\"ok-1\\\",\\\"name\\\":\\\"again\\\"}\""),
                "the rejected line is kept: " + rejects.get(2));
    }

    @Test
    void idsTrueFalseAndBlankAreRejected() throws Exception {
        List<String> lines = List.of(
                "{\"id\":true,\"name\":\"t\"}",
                "{\"id\":false,\"name\":\"f\"}",
                "{\"id\":\"  \",\"name\":\"blank\"}",
                "{\"id\":\"ok\",\"name\":\"fine\"}");
        Path input = dir.resolve("in.jsonl");
        Files.write(input, lines);

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(1, out.size());
        assertTrue(out.get(0).startsWith("{\"id\":\"ok\",\"status\":\"succeeded\""), out.get(0));
        List<String> rejects = Files.readAllLines(dir.resolve("out.jsonl.rejects.jsonl"));
        assertEquals(3, rejects.size());
        assertReject(rejects.get(0), 1, null, "id field 'id' must be a string or a number");
        assertReject(rejects.get(1), 2, null, "id field 'id' must be a string or a number");
        assertReject(rejects.get(2), 3, null, "id field 'id' is blank");
    }

    @Test
    void aCsvHeaderNamingAColumnTwiceFailsTheJobBeforeAnythingIsSent() throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "id,name,name\n1,a,b\n");

        JobExecution execution = JobRunner.run(params(dir, input));

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: " + input + ": the CSV header names column 'name' twice", execution.getExitStatus());
        assertEquals(List.of("prepare:FAILED"), BatchRuntime.getJobOperator()
                .getStepExecutions(execution.getExecutionId()).stream()
                .map(s -> s.getStepName() + ":" + s.getBatchStatus()).toList());
        assertFalse(Files.exists(dir.resolve("out.jsonl")));
    }

    private static void assertReject(String json, int line, String id, String reason) {
        assertTrue(json.startsWith("{\"line\":" + line + ",\"id\":" + (id == null ? "null" : "\"" + id + "\"")
                + ",\"reason\":\""), json);
        assertTrue(json.contains(reason), json);
    }
}
