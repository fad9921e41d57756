package io.github.llmbatch.job;

import io.github.llmbatch.ledger.DatabaseLease;
import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.LockFence;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Before any step runs: checks the job parameters and the API key, then takes the instance
 * lock so no second execution of this job instance runs at the same time, in this process or
 * another. Releases it when the execution ends.
 *
 * <p>The lock is a file lock on the instance's work directory, or, when {@code lockDataSource}
 * names a datasource (server-config sets it server-wide to the job repository's), a
 * {@link DatabaseLease} in it, which every node sharing that database sees. Should the lease be
 * lost while the job runs (another node took it after this one stopped renewing it), this
 * execution is stopped; and every ledger save checks the lock first ({@link #heldLock}), so the
 * execution stops before it saves or creates anything even if its heartbeat has not noticed yet.
 * In a server the heartbeat runs on the server's managed scheduled executor.
 */
@Named
@Dependent
public class InstanceLockListener extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger(InstanceLockListener.class.getName());

    @Inject
    JobContext jobContext;

    private AutoCloseable lock;

    /** The lock this execution took before its first step; kept in the job context for the steps. */
    static LockFence heldLock(JobContext context) {
        if (context.getTransientUserData() instanceof LockFence fence) {
            return fence;
        }
        throw new IllegalStateException("execution " + context.getExecutionId() + " holds no instance lock");
    }

    @Override
    public void beforeJob() {
        try {
            JobRun run = JobRun.of(jobContext);
            Providers.requireKey(run.settings());
            jobContext.setTransientUserData(acquireLock(run));
            refuseStaleWorkDir(run);
        } catch (InstanceLock.InstanceBusyException e) {
            // JBeret's restart of a STARTED execution lets this through; the exit status says why it stopped
            jobContext.setExitStatus("REFUSED: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            FailureReport.record(jobContext, e);
            throw e;
        }
    }

    /**
     * Instance ids restart at 1 in a new job repository; a first execution that finds files in
     * its instance directory would take another job's ledger for its own and merge old results.
     */
    private void refuseStaleWorkDir(JobRun run) {
        JobOperator operator = BatchRuntime.getJobOperator();
        JobInstance instance = operator.getJobInstance(jobContext.getExecutionId());
        boolean first = operator.getJobExecutions(instance).size() <= 1;
        if (first && (Files.exists(run.paths().ledgerFile()) || Files.exists(run.paths().shardsDir()))) {
            release();
            throw new IllegalStateException("work directory " + run.paths().dir()
                    + " already holds the files of an earlier job instance " + run.instanceId()
                    + " (from another job repository?); use another workDir or remove that directory");
        }
    }

    @Override
    public void afterJob() {
        if (DryRunDecider.CONTINUE.equals(jobContext.getExitStatus())) {
            jobContext.setExitStatus(jobContext.getBatchStatus().name());
        }
        release();
    }

    /** Takes the lock into {@link #lock}; returns it as the steps check it. */
    private LockFence acquireLock(JobRun run) {
        long executionId = jobContext.getExecutionId();
        String lockDataSource = run.settings().lockDataSource();
        if (lockDataSource == null) {
            InstanceLock fileLock = InstanceLock.acquire(run.paths().dir(), "execution " + executionId);
            lock = fileLock;
            return fileLock;
        }
        String holder = "execution " + executionId + " on " + ManagementFactory.getRuntimeMXBean().getName();
        String key = jobContext.getJobName() + "/" + run.instanceId();
        Optional<ScheduledExecutorService> managed = ContainerScheduler.lookup();
        managed.ifPresent(executor -> LOG.info(() -> "the lease of job instance " + key + " is renewed on "
                + ContainerScheduler.JNDI_NAME));
        DatabaseLease lease = DatabaseLease.acquire(DataSources.lookup(lockDataSource), key, holder,
                DatabaseLease.Terms.DEFAULT, managed.orElse(null), reason -> stopAfterLostLease(executionId, reason));
        lock = lease;
        return lease;
    }

    /** Another execution runs the instance now: this one must not write on, so it stops, saying why. */
    private void stopAfterLostLease(long executionId, String reason) {
        jobContext.setExitStatus("STOPPED: " + reason);
        try {
            BatchRuntime.getJobOperator().stop(executionId);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot stop execution " + executionId + " after losing its lease", e);
        }
    }

    private void release() {
        if (lock != null) {
            try {
                lock.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "cannot release the instance lock", e);
            }
            lock = null;
        }
    }
}
