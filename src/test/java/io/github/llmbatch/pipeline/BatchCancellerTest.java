package io.github.llmbatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.StopRequest;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BatchCanceller} against the real in-process emulator (OpenAI protocol): batches that run are
 * cancelled and waited for, what ran is kept and merged, what did not run stays failed with the
 * provider's cancel code, and after the cancel nothing is created or retried.
 */
class BatchCancellerTest {

    /** Three lines per batch spread over a minute: the first runs at once, the others not before 20 s. */
    private static final String SLOW = "inProgressMs=60000;cancellingMs=50";

    @TempDir
    Path dir;

    @Test
    void runningBatchesAreCancelledAndWhatRanIsKept() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 9, 3, 3)) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            awaitFirstLineRan(e);
            assertEquals(Map.of("in_progress", 3), emulatorStatuses(e.server));

            BatchCanceller.Report report = new BatchCanceller(e.run).cancelAll(StopRequest.NEVER);

            assertEquals(new BatchCanceller.Report(3, 0, 0), report);
            assertEquals("3 batches cancelled, 0 already finished", report.describe());
            assertEquals(Map.of("cancelled", 3), emulatorStatuses(e.server), "no batch runs at the provider");
            Ledger saved = e.saved();
            assertNotNull(saved.cancelledAt);
            assertEquals(3, saved.attempts.size(), "nothing retried after a cancel");
            for (Ledger.Attempt a : saved.attempts) {
                assertTrue(a.cancelledByUs);
                assertEquals("cancelled", a.status);
                assertTrue(a.resolved);
                assertEquals(0, a.retried);
                assertEquals(1, a.completed, "the first line ran before the cancel");
                assertNotNull(a.outputFile, "the partial output is downloaded");
                assertNotNull(a.errorFile);
            }

            List<MergedRecord> merged = merge(saved);
            assertEquals(9, merged.size(), "every record is in the output");
            List<String> succeeded = merged.stream().filter(MergedRecord::succeeded).map(MergedRecord::id).toList();
            assertEquals(List.of("r-1", "r-4", "r-7"), succeeded, "each batch's first line ran");
            for (MergedRecord m : merged) {
                if (!m.succeeded()) {
                    assertEquals(OpenAiProfile.BATCH_CANCELLED, m.errorCode(), m.id());
                }
            }
        }
    }

    @Test
    void afterTheCancelTheJobCreatesNothingAndPollEndsAtOnce() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 9, 3, 3)) {
            Ledger.Attempt first = e.firstAttempt(1);
            new AttemptSubmitter(e.run).submit(first);
            e.firstAttempt(2); // recorded, never sent

            BatchCanceller.Report report = new BatchCanceller(e.run).cancelAll(StopRequest.NEVER);

            assertEquals(new BatchCanceller.Report(1, 0, 2), report, "shard 2's attempt and shard 3 were never sent");
            assertEquals("1 batch cancelled, 0 already finished, 2 never sent", report.describe());
            // what a restart runs: submit and poll
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            assertTrue(new BatchPoller(e.run, s -> { }).pollUntilDone(new StopSignal()));
            assertEquals(1, e.server.stats().batchesCreated(), "no batch created after the cancel");
            assertEquals(1, e.server.stats().filesUploaded(), "no file uploaded after the cancel");
            Ledger saved = e.saved();
            assertEquals(3, saved.attempts.size());
            for (int shard = 2; shard <= 3; shard++) {
                Ledger.Attempt a = saved.attempt(shard, 1).orElseThrow();
                assertEquals(AttemptSubmitter.NOT_SENT, a.status);
                assertTrue(a.resolved);
                assertNull(a.batchId);
            }
            assertEquals(Map.of("cancelled", 1, AttemptSubmitter.NOT_SENT, 2), saved.summary().batchesByStatus());
            List<MergedRecord> merged = merge(saved);
            assertEquals(9, merged.size());
            assertEquals(8, merged.stream().filter(m -> !m.succeeded()).count());
        }
    }

    @Test
    void onceACancelIsRequestedSubmitSendsNothing() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 9, 3, 3)) {
            CancelMarker.request(e.paths, "test");

            new Submission(e.run).submitAll(new StopSignal());

            assertEquals(0, e.server.stats().filesUploaded());
            assertEquals(0, e.server.stats().batchesCreated());
            assertEquals(new BatchCanceller.Report(0, 0, 3), new BatchCanceller(e.run).cancelAll(StopRequest.NEVER));
            assertTrue(CancelMarker.isRequested(e.paths), "the one who carries the cancel out answers the request");
        }
    }

    @Test
    void aCreateWhoseAnswerWasLostIsFoundAndCancelled() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 3, 3, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            a.fileId = e.provider.upload(Path.of(a.requestsFile), AttemptSubmitter.remoteFileName(a)).id();
            a.createStartedAt = e.run.now();
            e.run.save();
            // the create reached the provider, its answer never reached the ledger
            RemoteBatch lost = e.provider.createBatch(new CreateBatch(e.run.endpoint(), a.fileId,
                    Path.of(a.requestsFile), EmulatedRun.MODEL, a.key));

            BatchCanceller.Report report = new BatchCanceller(e.run).cancelAll(StopRequest.NEVER);

            assertEquals(new BatchCanceller.Report(1, 0, 0), report);
            assertEquals(lost.id(), e.saved().attempt(1, 1).orElseThrow().batchId);
            assertEquals(Map.of("cancelled", 1), emulatorStatuses(e.server));
        }
    }

    @Test
    void aBatchThatEndedIsKeptAsItIsAndASecondCancelChangesNothing() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "inProgressMs=10", 6, 3, 3)) {
            Ledger.Attempt ended = e.firstAttempt(1);
            new AttemptSubmitter(e.run).submit(ended);
            awaitStatus(e, ended.batchId, "completed"); // ended, never polled: the ledger says validating

            BatchCanceller.Report report = new BatchCanceller(e.run).cancelAll(StopRequest.NEVER);

            assertEquals(new BatchCanceller.Report(0, 1, 1), report);
            Ledger.Attempt a = e.saved().attempt(1, 1).orElseThrow();
            assertEquals("completed", a.status);
            assertTrue(a.resolved);
            assertNotNull(a.outputFile);
            assertFalse(a.cancelledByUs, "a batch that had ended was not cancelled");
            String before = Files.readString(e.paths.ledgerFile());
            assertEquals(report, new BatchCanceller(e.run).cancelAll(StopRequest.NEVER));
            assertEquals(before, Files.readString(e.paths.ledgerFile()), "a second cancel changes nothing");
            assertEquals(1, e.server.stats().batchesCreated());
            List<MergedRecord> merged = merge(e.saved());
            assertTrue(merged.subList(0, 3).stream().allMatch(MergedRecord::succeeded), "what finished is kept");
            assertTrue(merged.subList(3, 6).stream().noneMatch(MergedRecord::succeeded), "shard 2 was never sent");
        }
    }

    @Test
    void aStopEndsTheWaitAndTheNextCancelFinishesIt() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "inProgressMs=60000;cancellingMs=60000", 3, 3, 3)) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            StopSignal stop = new StopSignal();
            stop.stop();

            assertNull(new BatchCanceller(e.run).cancelAll(stop), "stopped while the batch was cancelling");

            Ledger.Attempt a = e.saved().attempt(1, 1).orElseThrow();
            assertTrue(a.cancelledByUs, "recorded before the cancel was sent");
            assertEquals("cancelling", a.status);
            assertFalse(a.resolved);
            // a poll that sees it end keeps its never-run lines failed, and retries nothing
            assertEquals(Map.of("cancelling", 1), emulatorStatuses(e.server));
        }
    }

    private static void awaitFirstLineRan(EmulatedRun e) throws IOException {
        for (Ledger.Attempt a : e.ledger.attempts) {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (e.provider.getBatch(a.batchId).completed() < 1) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("batch " + a.batchId + " ran no line in 30 s");
                }
                sleep(20);
            }
        }
    }

    private static void awaitStatus(EmulatedRun e, String batchId, String status) throws IOException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!e.provider.getBatch(batchId).rawStatus().equals(status)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("batch " + batchId + " not " + status + " in 30 s");
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** How many of the emulator's batches are in which status, as it says itself ({@code /_emulator/stats}). */
    static Map<String, Integer> emulatorStatuses(EmulatorServer server) throws IOException {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl().resolve("/_emulator/stats").toString())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Integer> byStatus = new TreeMap<>();
            for (JsonNode batch : new ObjectMapper().readTree(answer.body()).get("batches")) {
                byStatus.merge(batch.get("status").asText(), 1, Integer::sum);
            }
            return byStatus;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    private static List<MergedRecord> merge(Ledger ledger) throws IOException {
        OpenAiProfile profile = new OpenAiProfile();
        List<MergedRecord> merged = new ArrayList<>();
        ResultJoiner joiner = new ResultJoiner(profile.resultDecoder(List.of()), profile);
        try (MergeSource source = new MergeSource(ledger, profile.resultDecoder(List.of()), MergePosition.start())) {
            MergeInput in;
            while ((in = source.next()) != null) {
                merged.add(joiner.join(in));
            }
        }
        return merged;
    }
}
