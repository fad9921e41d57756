package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.pipeline.CancelMarker;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks for a cancel request ({@link CancelMarker}) of the instance an execution runs, twice a second,
 * and reports the first it sees once. A cancel may come from another process (the CLI's
 * {@code cancel}), which reaches a running execution only through the instance's files. In a server it
 * runs on the container's managed scheduled executor, as the lease heartbeat does.
 */
final class CancelWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CancelWatch.class.getName());
    static final long EVERY_MS = 500;

    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final ScheduledFuture<?> task;
    private volatile boolean seen;

    private CancelWatch(InstancePaths paths, Runnable onCancel, Optional<ScheduledExecutorService> managed) {
        this.ownsExecutor = managed.isEmpty();
        this.executor = managed.orElseGet(() -> Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "llm-batch-cancel-watch " + paths.dir().getFileName());
            thread.setDaemon(true);
            return thread;
        }));
        this.task = executor.scheduleWithFixedDelay(() -> look(paths, onCancel), EVERY_MS, EVERY_MS,
                TimeUnit.MILLISECONDS);
    }

    /** @param onCancel called once, from the watch's thread, when a cancel request appears */
    static CancelWatch start(InstancePaths paths, Runnable onCancel) {
        return new CancelWatch(paths, onCancel, ContainerExecutors.scheduler());
    }

    private void look(InstancePaths paths, Runnable onCancel) {
        if (seen || !CancelMarker.isRequested(paths)) {
            return;
        }
        seen = true;
        try {
            onCancel.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot act on the cancel request of " + paths.dir(), e);
        }
    }

    /** Whether a cancel request was seen (and acted on). */
    boolean seen() {
        return seen;
    }

    @Override
    public void close() {
        task.cancel(false);
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }
}
