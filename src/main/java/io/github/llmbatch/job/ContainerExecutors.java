package io.github.llmbatch.job;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The server's default managed scheduled executor (Jakarta Concurrency), when the job runs in a
 * server: periodic work such as the lease heartbeat belongs on it, not on threads the server
 * does not know about. Java SE has no JNDI, so there is none.
 */
final class ContainerScheduler {

    static final String JNDI_NAME = "java:comp/DefaultManagedScheduledExecutorService";

    private ContainerScheduler() {
    }

    static Optional<ScheduledExecutorService> lookup() {
        try {
            return new InitialContext().lookup(JNDI_NAME) instanceof ScheduledExecutorService executor
                    ? Optional.of(executor)
                    : Optional.empty();
        } catch (NamingException e) {
            return Optional.empty();
        }
    }
}
