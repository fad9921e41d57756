package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerSummary;
import io.github.llmbatch.provider.ProviderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchPollerTest {

    @TempDir
    Path dir;

    @Test
    void pollsEveryShardToItsEndAndReportsProgress() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "fail500=r-(3|9)", 10, 4, 3)) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            assertEquals(3, e.server.stats().batchesCreated());
            List<LedgerSummary> progress = new ArrayList<>();
            assertTrue(new BatchPoller(e.run, progress::add).pollUntilDone(new StopSignal()));

            LedgerSummary last = progress.get(progress.size() - 1);
            assertEquals(10, last.requestsTotal());
            assertEquals(10, last.requestsDone());
            assertEquals(3, last.shards());
            assertEquals(5, last.attempts(), "shards 1 and 3 needed a second attempt");
            assertEquals(Map.of("completed", 3), last.batchesByStatus());
            for (LedgerSummary s : progress) {
                assertTrue(s.requestsDone() <= 10);
            }
            Ledger saved = e.saved();
            for (Ledger.Shard shard : saved.shards) {
                assertTrue(saved.latestAttempt(shard.index).orElseThrow().resolved);
            }
            assertEquals(5, e.server.stats().batchesCreated());
        }
    }

    @Test
    void attemptsRecordedButNotSubmittedAreSubmittedByThePoll() throws IOException {
        // a crash during submit: every shard has its attempt, none was sent yet
        try (EmulatedRun e = EmulatedRun.start(dir, "", 6, 3, 3)) {
            e.firstAttempt(1);
            e.firstAttempt(2);
            assertTrue(new BatchPoller(e.run, s -> { }).pollUntilDone(new StopSignal()));
            assertEquals(2, e.server.stats().batchesCreated());
            assertEquals(2, e.server.stats().filesUploaded());
            assertEquals(6, e.saved().summary().requestsDone());
        }
    }

    @Test
    void aStopEndsThePollWithoutResolving() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 4, 4, 3)) {
            new Submission(e.run).submitAll(new StopSignal());
            StopSignal stop = new StopSignal();
            stop.stop();
            assertFalse(new BatchPoller(e.run, s -> { }).pollUntilDone(stop));
            assertFalse(e.ledger.attempts.get(0).resolved);
            assertFalse(new Submission(e.run).submitAll(stop), "submit also stops at once");
        }
    }

    @Test
    void aShardThatWasNeverSubmittedIsAnError() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 4, 2, 3)) {
            e.firstAttempt(1);
            assertThrows(IllegalStateException.class,
                    () -> new BatchPoller(e.run, s -> { }).pollUntilDone(new StopSignal()));
        }
    }

    @Test
    void aClientErrorWhilePollingEndsThePoll() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "retrieve=404x1", 2, 2, 3)) {
            new Submission(e.run).submitAll(new StopSignal());
            ProviderException ex = assertThrows(ProviderException.class,
                    () -> new BatchPoller(e.run, s -> { }).pollUntilDone(new StopSignal()));
            assertEquals(404, ex.httpStatus());
        }
    }
}
