package io.github.llmbatch.job;

import io.github.llmbatch.ledger.DatabaseLease;
import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.LockFence;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes the lock of a job instance as its executions do, for them and for a cancel of the instance:
 * a file lock on the instance's work directory, or the {@link DatabaseLease} in {@code lockDataSource}.
 * What it returns is both the {@link LockFence} and the {@link AutoCloseable} that releases it.
 */
final class InstanceLocks {

    private static final Logger LOG = Logger.getLogger(InstanceLocks.class.getName());

    private InstanceLocks() {
    }

    /**
     * @param lockKey the lease's key, {@code <job name>/<instance id>}
     * @param holder  who takes it, for the message a refused one gets (no secrets)
     * @param onLost  called when a lease is found taken by another holder (a file lock cannot be lost)
     * @throws InstanceLock.InstanceBusyException when an execution holds it
     */
    static LockFence take(JobSettings settings, InstancePaths paths, String lockKey, String holder,
            Consumer<String> onLost) {
        String lockDataSource = settings.lockDataSource();
        if (lockDataSource == null) {
            return InstanceLock.acquire(paths.dir(), holder);
        }
        Optional<ScheduledExecutorService> managed = ContainerExecutors.scheduler();
        DatabaseLease lease = DatabaseLease.acquire(DataSources.lookup(lockDataSource), lockKey,
                holder + " on " + ManagementFactory.getRuntimeMXBean().getName(), DatabaseLease.Terms.DEFAULT,
                managed.orElse(null), onLost);
        managed.ifPresent(executor -> LOG.info(() -> "the lease of job instance " + lockKey + " is renewed on "
                + ContainerExecutors.SCHEDULER_JNDI_NAME));
        return lease;
    }

    /** Releases a lock {@link #take} returned; null is no lock. */
    static void release(LockFence lock) {
        if (lock instanceof AutoCloseable held) {
            try {
                held.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "cannot release the instance lock", e);
            }
        }
    }
}
