package io.github.llmbatch.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code llm-batch cancel} with real processes: the emulator in one, {@code run} in another, the cancel in
 * a third. The running execution ends STOPPED with its batches cancelled, the emulator has no batch that
 * has not ended, and {@code restart} completes with every input record in the output and no new batch.
 */
class CancelIT {

    private static final int RECORDS = 30;
    /** Ten lines per batch spread over two minutes: the batches run while the test cancels them. */
    private static final String SLOW = "inProgressMs=120000;cancellingMs=500";

    @TempDir
    Path dir;

    private Dist dist;
    private Dist.Running emulator;
    private URI base;

    @BeforeEach
    void startEmulator() throws Exception {
        dist = new Dist(dir).env("OPENAI_API_KEY", "sk-test-cancel");
        emulator = dist.start("emulator", "--port", "0", "--faults", SLOW);
        base = awaitBaseUrl(emulator);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= RECORDS; i++) {
            sb.append("{\"id\":\"c-").append(i).append("\",\"q\":\"question ").append(i).append("\"}\n");
        }
        Files.writeString(dir.resolve("in.jsonl"), sb);
        Files.writeString(dir.resolve("job.properties"), String.join("\n", "input=in.jsonl", "output=out.jsonl",
                "workDir=work", "baseUrl=" + base, "model=gpt-4o-mini", "userTemplate=Answer: {{q}}",
                "maxRequestsPerFile=10", "pollInterval=300ms", ""));
    }

    @AfterEach
    void stopEmulator() throws InterruptedException {
        emulator.kill9();
    }

    @Test
    void cancelStopsTheRunningJobAndEndsEveryBatchAndARestartLosesNothing() throws Exception {
        Dist.Running run = dist.start("run", dir.resolve("job.properties").toString());
        Path ledger = awaitBatches(run, 3);
        long execution = run.executionId();

        Dist.Result cancel = dist.run(Duration.ofMinutes(3), "cancel", Long.toString(execution));

        assertEquals(0, cancel.exitCode(), cancel.output());
        assertTrue(cancel.output().contains("CANCELLED: 3 batches cancelled, 0 already finished; execution "
                + execution + " STOPPED"), cancel.output());
        Dist.Result stopped = run.await(Duration.ofMinutes(1));
        assertEquals(1, stopped.exitCode(), stopped.output());
        assertTrue(stopped.output().contains("execution " + execution
                + " STOPPED (exit status CANCELLED: 3 batches cancelled, 0 already finished)"), stopped.output());
        assertEquals(Map.of("cancelled", 3), batchStatuses(), "no batch runs at the provider");
        assertCancelledInLedger(ledger, 3);
        Dist.Result status = dist.run(Duration.ofMinutes(1), "status", Long.toString(execution));
        assertTrue(status.output().contains("cancelled=3"), status.output());

        Dist.Result restart = dist.run(Duration.ofMinutes(3), "restart", Long.toString(execution));

        assertEquals(0, restart.exitCode(), restart.output());
        assertEveryRecordOnce();
        JsonNode stats = stats();
        assertEquals(3, stats.get("batchesCreated").asInt(), "no batch created after the cancel");
        assertEquals(3, stats.get("filesUploaded").asInt());
        assertEquals(Map.of("cancelled", 3), batchStatuses());

        long restarted = restart.executionId();
        Dist.Result again = dist.run(Duration.ofMinutes(1), "cancel", Long.toString(restarted));
        assertEquals(1, again.exitCode(), again.output());
        assertTrue(again.output().contains("has COMPLETED"), again.output());
        Dist.Result unknown = dist.run(Duration.ofMinutes(1), "cancel", "424242");
        assertEquals(1, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("no job execution 424242"), unknown.output());
    }

    @Test
    void cancelAfterTheRunWasStoppedCancelsTheBatchesItLeftRunning() throws Exception {
        Dist.Running run = dist.start("run", dir.resolve("job.properties").toString());
        Path ledger = awaitBatches(run, 3);
        long execution = run.executionId();
        run.process().destroy(); // SIGTERM: the job stops gracefully, its batches go on at the provider
        assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), run.output());
        assertTrue(run.output().contains("execution " + execution + " STOPPED"), run.output());
        Map<String, Integer> running = batchStatuses();
        running.keySet().removeAll(Set.of("validating", "in_progress"));
        assertEquals(Map.of(), running, "a stop leaves the batches running");

        Dist.Result cancel = dist.run(Duration.ofMinutes(3), "cancel", Long.toString(execution));

        assertEquals(0, cancel.exitCode(), cancel.output());
        assertTrue(cancel.output().contains("CANCELLED: 3 batches cancelled, 0 already finished; execution "
                + execution + " STOPPED"), cancel.output());
        assertEquals(Map.of("cancelled", 3), batchStatuses());
        assertCancelledInLedger(ledger, 3);
        Dist.Result restart = dist.run(Duration.ofMinutes(3), "restart", Long.toString(execution));
        assertEquals(0, restart.exitCode(), restart.output());
        assertEveryRecordOnce();
        assertEquals(3, stats().get("batchesCreated").asInt());
    }

    @Test
    void cancelAfterTheRunWasKilledCancelsTheBatchesAndSaysNoProcessRunsIt() throws Exception {
        Dist.Running run = dist.start("run", dir.resolve("job.properties").toString());
        Path ledger = awaitBatches(run, 3);
        long execution = run.executionId();
        run.kill9(); // the execution stays STARTED in the job repository; the OS freed the instance lock

        Dist.Result cancel = dist.run(Duration.ofMinutes(3), "cancel", Long.toString(execution));

        assertEquals(0, cancel.exitCode(), cancel.output());
        assertTrue(cancel.output().contains("CANCELLED: 3 batches cancelled, 0 already finished; execution "
                + execution + " STARTED (no process runs it)"), cancel.output());
        assertEquals(Map.of("cancelled", 3), batchStatuses());
        assertCancelledInLedger(ledger, 3);
        Dist.Result restart = dist.run(Duration.ofMinutes(3), "restart", Long.toString(execution));
        assertEquals(0, restart.exitCode(), restart.output());
        assertEveryRecordOnce();
        assertEquals(3, stats().get("batchesCreated").asInt());
    }

    /** Waits until the run's ledger records {@code count} created batches; returns the ledger file. */
    private Path awaitBatches(Dist.Running run, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(run.process().isAlive(), "run ended:\n" + run.output());
            Path ledger = ledgerFile();
            if (ledger != null) {
                try {
                    JsonNode attempts = new ObjectMapper().readTree(ledger.toFile()).get("attempts");
                    int created = 0;
                    for (JsonNode a : attempts) {
                        created += a.hasNonNull("batchId") ? 1 : 0;
                    }
                    if (created >= count) {
                        return ledger;
                    }
                } catch (IOException e) {
                    // replaced while read: look again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + count + " batches in 2 minutes:\n" + run.output());
    }

    private Path ledgerFile() throws IOException {
        Path work = dir.resolve("work");
        if (!Files.isDirectory(work)) {
            return null;
        }
        try (DirectoryStream<Path> instances = Files.newDirectoryStream(work, "instance-*")) {
            for (Path instance : instances) {
                if (Files.exists(instance.resolve("ledger.json"))) {
                    return instance.resolve("ledger.json");
                }
            }
        }
        return null;
    }

    private static void assertCancelledInLedger(Path ledger, int count) throws IOException {
        JsonNode attempts = new ObjectMapper().readTree(ledger.toFile()).get("attempts");
        assertEquals(count, attempts.size());
        for (JsonNode a : attempts) {
            assertEquals("cancelled", a.get("status").asText(), a.toString());
            assertTrue(a.get("cancelledByUs").asBoolean(), a.toString());
            assertTrue(a.get("resolved").asBoolean(), a.toString());
        }
    }

    /** input = succeeded + failed + rejects, each record once; the ones the cancel kept from running failed with its code. */
    private void assertEveryRecordOnce() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"), StandardCharsets.UTF_8);
        Set<String> ids = new HashSet<>();
        int succeeded = 0;
        int cancelled = 0;
        for (String line : lines) {
            JsonNode record = new ObjectMapper().readTree(line);
            assertTrue(ids.add(record.get("id").asText()), line);
            if (record.get("status").asText().equals("succeeded")) {
                succeeded++;
            } else {
                assertEquals("batch_cancelled", record.get("error").get("code").asText(), line);
                cancelled++;
            }
        }
        long rejects = Files.exists(dir.resolve("out.jsonl.rejects.jsonl")) ? Files.readAllLines(
                dir.resolve("out.jsonl.rejects.jsonl")).size() : 0;
        assertEquals(RECORDS, succeeded + cancelled + rejects);
        assertTrue(succeeded >= 3, "each batch's first line ran before the cancel: " + succeeded);
        assertTrue(cancelled > 0);
    }

    private JsonNode stats() throws IOException, InterruptedException {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base.toString().replaceFirst("/v1$", "") + "/_emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new ObjectMapper().readTree(body);
    }

    /** Every batch the emulator has, by status, as it says itself. */
    private Map<String, Integer> batchStatuses() throws IOException, InterruptedException {
        Map<String, Integer> byStatus = new TreeMap<>();
        for (JsonNode batch : stats().get("batches")) {
            byStatus.merge(batch.get("status").asText(), 1, Integer::sum);
        }
        return byStatus;
    }

    private static URI awaitBaseUrl(Dist.Running emulator) throws Exception {
        Pattern listening = Pattern.compile("emulator listening on (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(emulator.output());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            assertTrue(emulator.process().isAlive(), "emulator ended:\n" + emulator.output());
            Thread.sleep(100);
        }
        throw new AssertionError("emulator did not start:\n" + emulator.output());
    }
}
