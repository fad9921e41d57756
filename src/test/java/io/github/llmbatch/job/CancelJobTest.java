package io.github.llmbatch.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.pipeline.CancelMarker;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import static io.github.llmbatch.job.JobTestSupport.faultsFor;
import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job {@code llm-batch-cancel} in this JVM against the embedded emulator, for every provider: it stops
 * the running execution, which cancels its own batches and ends STOPPED; no batch runs at the emulator
 * afterwards; a restart completes with every record in the output and creates no batch.
 */
class CancelJobTest {

    private static final int RECORDS = 40;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
    void cancelStopsTheRunningExecutionAndARestartMergesWhatRan(String provider) throws Exception {
        // one emulator per provider (the spec differs); its lines spread over a minute: the batches run on
        String faults = faultsFor(provider, "inProgressMs=60000;cancellingMs=" + (200 + provider.length()));
        Properties p = jobParams(provider, faults);
        JobOperator operator = BatchRuntime.getJobOperator();
        long run = operator.start("llm-batch", p);
        InstancePaths paths = InstancePaths.of(dir.resolve("work"), operator.getJobInstance(run).getInstanceId());
        awaitBatches(paths, 4);

        JobExecution cancel = cancel(run);

        assertEquals(BatchStatus.COMPLETED, cancel.getBatchStatus(), cancel.getExitStatus());
        assertEquals("CANCELLED: 4 batches cancelled, 0 already finished; execution " + run + " STOPPED",
                cancel.getExitStatus());
        JobExecution stopped = JobRunner.await(operator, run);
        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        assertEquals("CANCELLED: 4 batches cancelled, 0 already finished", stopped.getExitStatus());
        EmulatorServer emulator = EmbeddedEmulator.shared(faults);
        assertEquals(Map.of("cancelled", 4), statuses(emulator), "no batch runs at the provider");
        assertFalse(CancelMarker.isRequested(paths), "the request is answered");
        Ledger ledger = paths.ledgerStore().read().orElseThrow();
        assertEquals(4, ledger.attempts.size());
        for (Ledger.Attempt a : ledger.attempts) {
            assertTrue(a.cancelledByUs && a.resolved && "cancelled".equals(a.status), a.key + " " + a.status);
        }
        int created = emulator.stats().batchesCreated();

        JobExecution restarted = JobRunner.restart(run, new Properties());

        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), restarted.getExitStatus());
        assertEquals(created, emulator.stats().batchesCreated(), "no batch created after the cancel");
        assertEveryRecordOnce(dir.resolve("out.jsonl"));
    }

    @Test
    void cancelOfAStoppedExecutionCancelsItsBatchesItself() throws Exception {
        String faults = "inProgressMs=60000;cancellingMs=199";
        JobOperator operator = BatchRuntime.getJobOperator();
        long run = operator.start("llm-batch", jobParams("openai", faults));
        InstancePaths paths = InstancePaths.of(dir.resolve("work"), operator.getJobInstance(run).getInstanceId());
        awaitBatches(paths, 4);
        operator.stop(run);
        assertEquals(BatchStatus.STOPPED, JobRunner.await(operator, run).getBatchStatus());
        EmulatorServer emulator = EmbeddedEmulator.shared(faults);
        Map<String, Integer> running = statuses(emulator);
        running.keySet().removeAll(Set.of("validating", "in_progress"));
        assertEquals(Map.of(), running, "a stop leaves the batches running");

        JobExecution cancel = cancel(run);

        assertEquals("CANCELLED: 4 batches cancelled, 0 already finished; execution " + run + " STOPPED",
                cancel.getExitStatus());
        assertEquals(Map.of("cancelled", 4), statuses(emulator));
        assertEquals(BatchStatus.COMPLETED, JobRunner.restart(run, new Properties()).getBatchStatus());
        assertEquals(4, emulator.stats().batchesCreated());
        assertEveryRecordOnce(dir.resolve("out.jsonl"));
    }

    /**
     * Cancelled while it prepares or submits (where it is depends on the machine): it stops, sends nothing
     * more, and the restart completes with every record, the ones never sent failed.
     */
    @Test
    void cancelAsTheJobStartsLeavesNothingRunningAndLosesNothing() throws Exception {
        String faults = "inProgressMs=60000;cancellingMs=197";
        Path input = dir.resolve("in.jsonl");
        int records = 3_000;
        writeRecords(input, records);
        Properties p = params(dir, input);
        p.setProperty("emulatorFaults", faults);
        p.setProperty("maxRequestsPerFile", "500");
        JobOperator operator = BatchRuntime.getJobOperator();
        long run = operator.start("llm-batch", p);
        InstancePaths paths = InstancePaths.of(dir.resolve("work"), operator.getJobInstance(run).getInstanceId());
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!InstanceLock.isHeld(paths.dir()) && System.nanoTime() < until) {
            Thread.sleep(5);
        }

        JobExecution cancel = cancel(run);

        assertEquals(BatchStatus.COMPLETED, cancel.getBatchStatus(), cancel.getExitStatus());
        assertTrue(cancel.getExitStatus().startsWith("CANCELLED: "), cancel.getExitStatus());
        assertTrue(cancel.getExitStatus().endsWith("; execution " + run + " STOPPED"), cancel.getExitStatus());
        JobExecution stopped = JobRunner.await(operator, run);
        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        assertTrue(stopped.getExitStatus().startsWith("CANCELLED: "), stopped.getExitStatus());
        EmulatorServer emulator = EmbeddedEmulator.shared(faults);
        Map<String, Integer> notEnded = statuses(emulator);
        notEnded.keySet().removeAll(Set.of("cancelled", "completed"));
        assertEquals(Map.of(), notEnded, "no batch runs at the provider");
        int created = emulator.stats().batchesCreated();

        JobExecution restarted = JobRunner.restart(run, new Properties());

        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), restarted.getExitStatus());
        assertEquals(created, emulator.stats().batchesCreated(), "no batch created after the cancel");
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"), StandardCharsets.UTF_8);
        assertEquals(records, out.size(), "every record is in the output");
        assertEquals(records, new HashSet<>(out.stream().map(l -> l.substring(0, l.indexOf(','))).toList()).size());
    }

    @Test
    void aCompletedExecutionOrAnUnknownOneIsRefused() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 3);
        JobExecution done = JobRunner.run(params(dir, input));
        assertEquals(BatchStatus.COMPLETED, done.getBatchStatus());

        JobExecution refused = cancel(done.getExecutionId());
        assertEquals(BatchStatus.FAILED, refused.getBatchStatus());
        assertEquals("REFUSED: execution " + done.getExecutionId() + " of job instance "
                + BatchRuntime.getJobOperator().getJobInstance(done.getExecutionId()).getInstanceId()
                + " has COMPLETED: its batches have ended, there is nothing to cancel", refused.getExitStatus());

        JobExecution unknown = cancel(987_654_321L);
        assertEquals(BatchStatus.FAILED, unknown.getBatchStatus());
        assertEquals("REFUSED: no job execution 987654321 in the job repository", unknown.getExitStatus());
    }

    private Properties jobParams(String provider, String faults) throws IOException {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, RECORDS);
        Properties p = params(dir, input, provider);
        p.setProperty("emulatorFaults", faults);
        p.setProperty("maxRequestsPerFile", "10");
        switch (provider) {
            case "anthropic" -> {
                p.setProperty("model", "claude-haiku-4-5");
                p.setProperty("maxTokens", "32");
            }
            case "gemini" -> p.setProperty("model", "gemini-2.5-flash");
            default -> { }
        }
        return p;
    }

    private static JobExecution cancel(long execution) throws InterruptedException {
        Properties c = new Properties();
        c.setProperty("execution", Long.toString(execution));
        JobOperator operator = BatchRuntime.getJobOperator();
        return JobRunner.await(operator, operator.start("llm-batch-cancel", c));
    }

    /** Until the ledger records a batch for each of {@code count} shards. */
    private static void awaitBatches(InstancePaths paths, int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            try {
                Ledger ledger = paths.ledgerStore().read().orElse(null);
                if (ledger != null && ledger.attempts.stream().filter(Ledger.Attempt::created).count() >= count) {
                    return;
                }
            } catch (RuntimeException e) {
                // read while being replaced: look again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + count + " batches in 60 s");
    }

    /** Every record of the input once in the output: succeeded, or failed with a reason. */
    static void assertEveryRecordOnce(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(RECORDS, lines.size());
        Set<String> ids = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode record = json.readTree(line);
            assertTrue(ids.add(record.get("id").asText()), line);
            String status = record.get("status").asText();
            assertTrue(status.equals("succeeded") || status.equals("failed") && record.get("error").has("code"), line);
        }
    }

    /** How many batches are in which status, as the emulator says itself (all protocols, OpenAI's names). */
    static Map<String, Integer> statuses(EmulatorServer emulator) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(emulator.baseUrl().resolve("/_emulator/stats").toString())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Integer> byStatus = new TreeMap<>();
        for (JsonNode batch : new ObjectMapper().readTree(answer.body()).get("batches")) {
            byStatus.merge(batch.get("status").asText(), 1, Integer::sum);
        }
        return byStatus;
    }
}
