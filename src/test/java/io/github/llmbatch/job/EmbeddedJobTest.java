package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole job in this JVM against the embedded emulator. */
class EmbeddedJobTest {

    @TempDir
    Path dir;

    @Test
    void chatJobReturnsEveryRecordInInputOrderWithItsOwnAnswer() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 2_600);
        Properties p = params(input);
        p.setProperty("maxRequestsPerFile", "1000");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(2_600, out.size());
        for (int i = 0; i < out.size(); i++) {
            String id = "r-" + (i + 1);
            String line = out.get(i);
            assertTrue(line.startsWith("{\"id\":\"" + id + "\",\"status\":\"succeeded\""), line);
            assertTrue(line.contains("[emulated] " + id + ": Say something about item " + (i + 1)), line);
            assertTrue(line.contains("\"name\":\"item " + (i + 1) + "\""), line);
        }
        long instanceId = BatchRuntime.getJobOperator().getJobInstance(execution.getExecutionId()).getInstanceId();
        Ledger ledger = InstancePaths.of(dir.resolve("work"), instanceId).ledgerStore().read().orElseThrow();
        assertEquals(3, ledger.shards.size());
        assertEquals(3, ledger.attempts.size());
    }

    private Properties params(Path input) {
        Properties p = new Properties();
        p.setProperty("input", input.toString());
        p.setProperty("output", dir.resolve("out.jsonl").toString());
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("baseUrl", "embedded");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Say something about {{name}}");
        p.setProperty("pollInterval", "200ms");
        return p;
    }

    static void writeRecords(Path file, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("{\"id\":\"r-").append(i).append("\",\"name\":\"item ").append(i).append("\",\"n\":").append(i)
                    .append("}\n");
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }
}
