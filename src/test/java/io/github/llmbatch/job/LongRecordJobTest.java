package io.github.llmbatch.job;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record with a 30-million-character field goes through the whole job (Jackson caps strings at 20 M by default). */
class LongRecordJobTest {

    @TempDir
    Path dir;

    @Test
    void aThirtyMegabyteRecordIsSentAndMerged() throws Exception {
        Path input = dir.resolve("in.jsonl");
        String text = "w".repeat(30_000_000);
        Files.writeString(input, "{\"id\":\"big\",\"name\":\"" + text + "\"}\n{\"id\":\"small\",\"name\":\"x\"}\n");
        Properties p = params(dir, input);

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(2, out.size());
        assertTrue(out.get(0).startsWith("{\"id\":\"big\",\"status\":\"succeeded\""), out.get(0).substring(0, 300));
        assertTrue(out.get(0).endsWith("\"name\":\"" + text + "\"}"));
    }
}
