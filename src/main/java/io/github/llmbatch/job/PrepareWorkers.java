package io.github.llmbatch.job;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads prepare's records are parsed and rendered on, beside the step's own thread: in a
 * server its default managed executor (Jakarta Concurrency), on Java SE one daemon pool for the
 * JVM with a thread per processor.
 */
final class PrepareWorkers {

    private PrepareWorkers() {
    }

    /** How many blocks to prepare at once: one per processor. */
    static int parallelism() {
        return Runtime.getRuntime().availableProcessors();
    }

    static ExecutorService executor() {
        return ContainerExecutors.executor().orElseGet(() -> OwnPool.POOL);
    }

    /** Where {@link #executor()} runs its tasks, for the log. */
    static String describe(ExecutorService executor) {
        return executor == OwnPool.POOL ? "a pool of its own (no " + ContainerExecutors.EXECUTOR_JNDI_NAME + ")"
                : ContainerExecutors.EXECUTOR_JNDI_NAME;
    }

    private static final class OwnPool {
        private static final AtomicInteger COUNT = new AtomicInteger();
        static final ExecutorService POOL = Executors.newFixedThreadPool(parallelism(), task -> {
            Thread thread = new Thread(task, "llm-batch-prepare-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
