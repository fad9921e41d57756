package io.github.llmbatch.job;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The server's default managed executors (Jakarta Concurrency), when the job runs in a server:
 * periodic work such as the lease heartbeat, and prepare's workers, belong on them, not on threads
 * the server does not know about. Java SE has no JNDI, so there are none.
 */
final class ContainerExecutors {

    static final String SCHEDULER_JNDI_NAME = "java:comp/DefaultManagedScheduledExecutorService";
    static final String EXECUTOR_JNDI_NAME = "java:comp/DefaultManagedExecutorService";

    private ContainerExecutors() {
    }

    static Optional<ScheduledExecutorService> scheduler() {
        return lookup(SCHEDULER_JNDI_NAME, ScheduledExecutorService.class);
    }

    static Optional<ExecutorService> executor() {
        return lookup(EXECUTOR_JNDI_NAME, ExecutorService.class);
    }

    private static <T> Optional<T> lookup(String name, Class<T> type) {
        try {
            Object found = new InitialContext().lookup(name);
            return type.isInstance(found) ? Optional.of(type.cast(found)) : Optional.empty();
        } catch (NamingException e) {
            return Optional.empty();
        }
    }
}
