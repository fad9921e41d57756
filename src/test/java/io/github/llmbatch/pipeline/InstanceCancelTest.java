package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.provider.StopRequest;
import io.github.llmbatch.provider.openai.AuthStyle;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.github.llmbatch.pipeline.BatchCancellerTest.emulatorStatuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cancel from outside the instance's executions, against the real emulator and a real instance lock:
 * it waits for the execution that holds the lock (which cancels its own batches when it sees the
 * request), or, when none does, cancels the batches itself.
 */
class InstanceCancelTest {

    private static final String SLOW = "inProgressMs=60000;cancellingMs=50";

    @TempDir
    Path dir;

    @Test
    void theCancelWaitsForTheExecutionThatHoldsTheLockWhichCancelsItsOwnBatches() throws Exception {
        ExecutorService asker = Executors.newSingleThreadExecutor();
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 6, 3, 3)) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));

            Future<InstanceCancel.Result> cancel = asker.submit(() -> InstanceCancel.carryOut(e.paths, "test",
                    access(e), StopRequest.NEVER));
            // the running execution: sees the request, cancels its own batches, answers it and ends
            awaitRequest(e);
            BatchCanceller.Report own = new BatchCanceller(e.run).cancelAll(StopRequest.NEVER);
            CancelMarker.clear(e.paths);
            assertFalse(cancel.isDone(), "the cancel waits while the execution holds the lock");
            e.lock().close();

            InstanceCancel.Result result = cancel.get(60, TimeUnit.SECONDS);
            assertEquals(new BatchCanceller.Report(2, 0, 0), own);
            assertEquals(new InstanceCancel.Result(own, true), result, "nothing left to cancel; the same report");
            assertEquals(Map.of("cancelled", 2), emulatorStatuses(e.server));
            assertFalse(CancelMarker.isRequested(e.paths));
            assertFalse(InstanceLock.isHeld(e.paths.dir()), "the cancel gives the lock back");
        } finally {
            asker.shutdownNow();
        }
    }

    @Test
    void withNoExecutionRunningTheCancelCancelsTheBatchesItself() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 6, 3, 3)) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            e.lock().close(); // the execution was stopped: the batches go on at the provider

            InstanceCancel.Result result = InstanceCancel.carryOut(e.paths, "test", access(e), StopRequest.NEVER);

            assertEquals(new InstanceCancel.Result(new BatchCanceller.Report(2, 0, 0), false), result);
            assertEquals(Map.of("cancelled", 2), emulatorStatuses(e.server));
            assertFalse(CancelMarker.isRequested(e.paths));
            assertTrue(e.saved().attempts.stream().allMatch(a -> a.cancelledByUs && a.resolved));
        }
    }

    @Test
    void aStopWhileWaitingForTheLockLeavesTheRequestForTheExecution() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, SLOW, 6, 3, 3)) {
            StopSignal stopped = new StopSignal();
            stopped.stop();

            InstanceCancel.Result result = InstanceCancel.carryOut(e.paths, "test", access(e), stopped);

            assertNull(result.report());
            assertTrue(result.waited());
            assertTrue(CancelMarker.isRequested(e.paths), "the execution that holds the lock still sees it");
        }
    }

    private static void awaitRequest(EmulatedRun e) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!CancelMarker.isRequested(e.paths)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("no cancel request in 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** The instance as a cancel job reaches it: its lock file, its ledger, a provider of its own. */
    private static InstanceCancel.Access access(EmulatedRun e) {
        return new InstanceCancel.Access() {
            @Override
            public LockFence takeLock() {
                return InstanceLock.acquire(e.paths.dir(), "cancel");
            }

            @Override
            public void releaseLock(LockFence lock) {
                ((InstanceLock) lock).close();
            }

            @Override
            public RunContext open(LockFence lock) {
                LedgerStore store = e.paths.ledgerStore();
                return new RunContext(e.paths, store.read().orElseThrow(), store, lock,
                        new OpenAiProvider(e.server.baseUrl().toString(), "test-key", AuthStyle.BEARER),
                        new OpenAiProfile(), e.run.endpoint(), EmulatedRun.MODEL, EmulatedRun.POLL, 3,
                        Clock.systemUTC());
            }
        };
    }
}
