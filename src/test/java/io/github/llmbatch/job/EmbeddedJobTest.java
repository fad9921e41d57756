package io.github.llmbatch.job;

import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.assertOneBatchPerAttempt;
import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.remoteStatus;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole job in this JVM against the embedded emulator, as OpenAI and (the same protocol) as Azure OpenAI. */
class EmbeddedJobTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure"})
    void chatJobReturnsEveryRecordInInputOrderWithItsOwnAnswer(String provider) throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 2_600);
        Properties p = params(dir, input, provider);
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
            assertTrue(line.endsWith("\"attempts\":1,\"name\":\"item " + (i + 1) + "\",\"n\":" + (i + 1) + "}"), line);
        }
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(3, ledger.shards.size());
        assertEquals(List.of(1000L, 1000L, 600L), ledger.shards.stream().map(s -> s.requests).toList());
        assertEquals(3, ledger.attempts.size());
        assertOneBatchPerAttempt(ledger, "");
        // the batches were the provider's: Azure's status reads "Completed", OpenAI's "completed"
        for (Ledger.Attempt attempt : ledger.attempts) {
            assertEquals("completed", attempt.status);
            assertEquals(provider.equals("azure") ? "Completed" : "completed",
                    remoteStatus(provider, "", attempt.batchId));
            // Azure gives a clean batch an empty error file, which the job reads like no file
            assertEquals(provider.equals("azure"), attempt.errorRef != null, attempt.errorRef);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure"})
    void embeddingsJobReturnsAVectorPerRecord(String provider) throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 120);
        Properties p = params(dir, input, provider);
        p.setProperty("endpoint", "/v1/embeddings");
        p.setProperty("model", "text-embedding-3-small");
        p.setProperty("userTemplate", "{{name}}");
        p.setProperty("maxRequestsPerFile", "50");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(120, out.size());
        for (int i = 0; i < out.size(); i++) {
            String line = out.get(i);
            assertTrue(line.startsWith("{\"id\":\"r-" + (i + 1) + "\",\"status\":\"succeeded\",\"content\":["), line);
        }
        // same input text, same vector; different text, different vector
        assertEquals(vectorOf(out.get(0)).split(",").length, vectorOf(out.get(1)).split(",").length);
        assertTrue(!vectorOf(out.get(0)).equals(vectorOf(out.get(1))));
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(3, ledger.shards.size());
        assertOneBatchPerAttempt(ledger, "");
    }

    @Test
    void csvOutputHasAHeaderAndOneRowPerRecord() throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "id,name,note\na-1,\"first, with comma\",\"two\nlines\"\na-2,second,plain\n");
        Properties p = params(dir, input);
        p.setProperty("output", dir.resolve("out.csv").toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        String csv = Files.readString(dir.resolve("out.csv"));
        assertTrue(csv.startsWith("id,status,content,error_code,error_message,usage,attempts,name,note\n"), csv);
        assertTrue(csv.contains("a-1,succeeded,\"[emulated] a-1: Say something about first, with comma\""), csv);
        assertTrue(csv.contains("\"two\nlines\""), csv);
        assertTrue(csv.contains("a-2,succeeded,"), csv);
    }

    private static String vectorOf(String line) {
        int start = line.indexOf("\"content\":[") + 10;
        return line.substring(start, line.indexOf(']', start) + 1);
    }


    @Test
    void chunksOfLargeRecordsAreCutByTheirSizeNotOnlyTheirCount() throws Exception {
        Path input = dir.resolve("in.jsonl");
        StringBuilder sb = new StringBuilder();
        String text = "y".repeat(1_000_000);
        for (int i = 1; i <= 40; i++) {
            sb.append("{\"id\":\"big-").append(i).append("\",\"name\":\"").append(text).append("\"}\n");
        }
        Files.writeString(input, sb);
        Properties p = params(dir, input);
        p.setProperty("dryRun", "true");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus());
        StepExecution prepare = BatchRuntime.getJobOperator().getStepExecutions(execution.getExecutionId()).get(0);
        long commits = java.util.Arrays.stream(prepare.getMetrics())
                .filter(m -> m.getType() == Metric.MetricType.COMMIT_COUNT).findFirst().orElseThrow().getValue();
        // about 2.0 MB a record (request and records line): the 16 MiB budget is reached at the 9th record,
        // so commits after records 9, 18, 27, 36 and at the end, not once for all 40
        assertEquals(5, commits);
    }
}
