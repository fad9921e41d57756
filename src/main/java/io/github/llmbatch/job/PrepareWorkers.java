package io.github.llmbatch.job;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The threads prepare's records are parsed and rendered on, beside the step's own thread: in a
 * server its default managed executor (Jakarta Concurrency), on Java SE one daemon pool for the
 * JVM with a thread per processor.
 */
final class PrepareWorkers {

    static final String JNDI_NAME = "java:comp/DefaultManagedExecutorService";

    private PrepareWorkers() {
    }

    /** How many blocks to prepare at once: one per processor. */
    static int parallelism() {
        return Runtime.getRuntime().availableProcessors();
    }

    static Executor executor() {
        try {
            if (new InitialContext().lookup(JNDI_NAME) instanceof Executor managed) {
                return managed;
            }
        } catch (NamingException e) {
            // Java SE: no JNDI
        }
        return OwnPool.POOL;
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
