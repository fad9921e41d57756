package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.provider.StopRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * A cancel of a job instance from outside its executions (job {@code llm-batch-cancel}): asks for it
 * ({@link CancelMarker}), which stops an execution that runs the instance and has it cancel its own
 * batches; takes the instance lock as soon as no execution holds it; then cancels whatever still runs
 * ({@link BatchCanceller}: nothing, when that execution did it) and answers the request.
 */
public final class InstanceCancel {

    private static final Duration LOCK_RETRY = Duration.ofMillis(250);

    /** How the cancel gets at the instance: its lock, and under it the ledger and the provider. */
    public interface Access {

        /** @throws InstanceLock.InstanceBusyException while an execution holds the lock */
        LockFence takeLock();

        void releaseLock(LockFence lock);

        /** What the canceller works with under {@code lock}; its provider is closed after the cancel. */
        RunContext open(LockFence lock);
    }

    /**
     * @param report what the instance's batches came to; null when stopped first (the request stays, so an
     *               execution that runs the instance still cancels)
     * @param waited whether an execution held the lock: it ended meanwhile
     */
    public record Result(BatchCanceller.Report report, boolean waited) {
    }

    private InstanceCancel() {
    }

    /** @param who who asks, written into the request (no secrets) */
    public static Result carryOut(InstancePaths paths, String who, Access access, StopRequest stop)
            throws IOException {
        CancelMarker.request(paths, who);
        boolean waited = false;
        LockFence lock = null;
        while (lock == null) {
            try {
                lock = access.takeLock();
            } catch (InstanceLock.InstanceBusyException busy) {
                waited = true;
                if (stop.await(LOCK_RETRY)) {
                    return new Result(null, true);
                }
            }
        }
        try {
            if (!Files.exists(paths.ledgerFile())) {
                // nothing was ever sent (the ledger is written before the first upload); the request stays
                // for an execution that has not taken the lock yet: it stops as soon as it has
                return new Result(new BatchCanceller.Report(0, 0, 0), waited);
            }
            RunContext run = access.open(lock);
            BatchCanceller.Report report;
            try {
                report = new BatchCanceller(run).cancelAll(stop);
            } finally {
                run.provider().close();
            }
            if (report != null) {
                CancelMarker.clear(paths);
            }
            return new Result(report, waited);
        } finally {
            access.releaseLock(lock);
        }
    }
}
