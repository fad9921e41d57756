package io.github.llmbatch.job;

import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.PriceTable;
import io.github.llmbatch.cost.Tokenizer;
import io.github.llmbatch.ledger.DatabaseLease;
import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.merge.MergedTableWriter;
import io.github.llmbatch.pipeline.BatchCanceller;
import io.github.llmbatch.pipeline.CancelMarker;
import io.github.llmbatch.pipeline.OutputProbe;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.StopRequest;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Before any step runs: checks the job parameters, the API key and that the output file can be
 * written, then takes the instance
 * lock so no second execution of this job instance runs at the same time, in this process or
 * another, and holds a restart to the parameters fixed for the instance ({@link FixedParameters}).
 * Records the prices of the job's model in the ledger (each execution anew: {@code priceTable}
 * may change on a restart). Releases the lock when the execution ends.
 *
 * <p>The lock is a file lock on the instance's work directory, or, when {@code lockDataSource}
 * names a datasource (server-config sets it server-wide to the job repository's), a
 * {@link DatabaseLease} in it, which every node sharing that database sees. Should the lease be
 * lost while the job runs (another node took it after this one stopped renewing it), this
 * execution is stopped; and every ledger save checks the lock first ({@link #heldLock}), so the
 * execution stops before it saves or creates anything even if its heartbeat has not noticed yet.
 * In a server the heartbeat runs on the server's managed scheduled executor.
 *
 * <p>While the execution runs, a {@link CancelWatch} looks for a cancel request of the instance; one
 * stops the execution, and before the lock is released its batches are cancelled ({@link BatchCanceller}).
 */
@Named
@Dependent
public class InstanceLockListener extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger(InstanceLockListener.class.getName());
    /** How the exit status of an execution a cancel stopped begins. */
    static final String CANCELLED = "CANCELLED: ";

    @Inject
    JobContext jobContext;

    private AutoCloseable lock;
    private AutoCloseable outputLock;
    private CancelWatch cancelWatch;

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
            JobOperator operator = BatchRuntime.getJobOperator();
            // the job XML passes on only the names it lists: the parameters themselves show a misspelt one
            JobSettings.from(operator.getParameters(jobContext.getExecutionId()));
            JobRun run = JobRun.of(jobContext);
            if (!run.settings().dryRun()) { // a dry run calls no provider: people estimate before they have a key
                Providers.requireUsable(run.settings());
            }
            requireWritableOutput(run.settings());
            PriceTable prices = PriceTable.of(run.settings().priceTable()); // a broken file refused before any work
            Tokenizer.forModel(run.settings().model()); // starts loading its encoding (seconds) for prepare's count
            jobContext.setTransientUserData(acquireLock(run));
            List<JobExecution> earlier = earlierExecutions(operator);
            if (earlier.isEmpty()) {
                refuseStaleWorkDir(run);
            } else {
                refuseMovedWorkDir(run, operator, earlier);
            }
            FixedParameters.of(run.settings()).holdFor(run.paths().ledgerStore(), run.instanceId());
            recordPrices(run, prices);
            if (!run.settings().dryRun()) {
                outputLock = acquireOutputLock(run);
            }
            long executionId = jobContext.getExecutionId();
            cancelWatch = CancelWatch.start(run.paths(), () -> stopForCancel(executionId));
        } catch (InstanceLock.InstanceBusyException e) {
            // JBeret's restart of a STARTED execution lets this through; the exit status says why it stopped
            release();
            jobContext.setExitStatus("REFUSED: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            release();
            FailureReport.record(jobContext, e);
            throw e;
        }
    }

    /** The ledger names its model from the start, so the prices can be looked up before prepare has run. */
    private static void recordPrices(JobRun run, PriceTable table) {
        LedgerStore store = run.paths().ledgerStore();
        Ledger ledger = store.readOrCreate(run.instanceId());
        ledger.provider = run.settings().provider();
        ledger.endpoint = run.settings().endpointName();
        ledger.model = run.settings().model();
        LedgerCost.recordPrices(ledger, table);
        store.write(ledger);
    }

    private List<JobExecution> earlierExecutions(JobOperator operator) {
        JobInstance instance = operator.getJobInstance(jobContext.getExecutionId());
        return operator.getJobExecutions(instance).stream()
                .filter(e -> e.getExecutionId() != jobContext.getExecutionId()).toList();
    }

    /**
     * Two runs of the same job properties are two job instances with one output: both would pay for
     * every request and write the same file. The output is locked for the whole execution: a lock
     * file beside an output file, or in the work directory for an output table.
     */
    private AutoCloseable acquireOutputLock(JobRun run) {
        JobSettings settings = run.settings();
        String holder = "execution " + jobContext.getExecutionId() + " of job instance " + run.instanceId();
        if (settings.tableOutput()) {
            String target = settings.outputDataSource() + " " + settings.outputTable();
            Path lockFile = settings.workDir().toAbsolutePath().resolve(".output-table-"
                    + Integer.toHexString(target.hashCode()) + "-" + settings.outputTable() + ".lock");
            return InstanceLock.acquire(lockFile, "output table " + settings.outputTable(), holder);
        }
        Path output = settings.output().toAbsolutePath();
        return InstanceLock.acquire(output.resolveSibling("." + output.getFileName() + ".lock"), "output " + output,
                holder);
    }

    /**
     * Found now, not at merge after the provider was paid; a dry run writes no output. An output
     * table is created if missing (as merge would), which proves the connection and the right to
     * create it, not the right to write rows.
     */
    private static void requireWritableOutput(JobSettings settings) {
        if (settings.dryRun()) {
            return;
        }
        try {
            if (settings.tableOutput()) {
                MergedTableWriter.open(DataSources.lookup(settings.outputDataSource()), settings.outputTable(), 0)
                        .close();
            } else {
                OutputProbe.requireWritable(settings.output());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Instance ids restart at 1 in a new job repository; a first execution that finds files in
     * its instance directory would take another job's ledger for its own and merge old results.
     */
    private static void refuseStaleWorkDir(JobRun run) {
        if (Files.exists(run.paths().ledgerFile()) || Files.exists(run.paths().shardsDir())) {
            throw new IllegalStateException("work directory " + run.paths().dir()
                    + " already holds the files of an earlier job instance " + run.instanceId()
                    + " (from another job repository?); use another workDir or remove that directory");
        }
    }

    /**
     * A restart with another workDir would not find the instance's ledger and shards and would
     * start the work again beside them; the earlier executions' parameters say where they are.
     */
    private static void refuseMovedWorkDir(JobRun run, JobOperator operator, List<JobExecution> earlier) {
        if (Files.exists(run.paths().ledgerFile())) {
            return;
        }
        for (JobExecution e : earlier) {
            Path workDir;
            try {
                workDir = JobSettings.from(operator.getParameters(e.getExecutionId())).workDir();
            } catch (RuntimeException refused) {
                continue; // that execution was refused before it ran anything
            }
            InstancePaths paths = InstancePaths.of(workDir, run.instanceId());
            if (!paths.dir().equals(run.paths().dir()) && Files.exists(paths.ledgerFile())) {
                throw new IllegalStateException("job instance " + run.instanceId() + " cannot change workDir "
                        + "'" + workDir.toAbsolutePath().normalize() + "' -> '"
                        + run.settings().workDir().toAbsolutePath().normalize() + "': its ledger and shards are in "
                        + paths.dir() + ". Restart with the earlier workDir, or start a new run");
            }
        }
    }

    @Override
    public void afterJob() {
        if (DryRunDecider.CONTINUE.equals(jobContext.getExitStatus())) {
            jobContext.setExitStatus(endingStatus(jobContext.getBatchStatus()).name());
        }
        try {
            cancelIfRequested();
        } finally {
            release();
        }
    }

    /**
     * A cancel request stopped this execution (or arrived as it ended): its steps have ended, the lock
     * is still held, so the instance's batches are cancelled here, waited for and recorded before the
     * lock is released. Should that fail, the request stays and the cancel job, which waits for the
     * lock, does it.
     */
    private void cancelIfRequested() {
        if (cancelWatch == null) {
            return; // refused before it ran anything
        }
        boolean stopped = cancelWatch.seen();
        cancelWatch.close();
        cancelWatch = null;
        JobRun run = JobRun.of(jobContext);
        if (!stopped && !CancelMarker.isRequested(run.paths())) {
            return;
        }
        try (BatchProvider provider = Providers.open(run.settings(), StopRequest.NEVER)) {
            BatchCanceller.Report report = new BatchCanceller(run.runContext(provider, heldLock(jobContext)))
                    .cancelAll(StopRequest.NEVER);
            CancelMarker.clear(run.paths());
            LOG.info(() -> "job instance " + run.instanceId() + " cancelled: " + report.describe());
            if (stopped) {
                jobContext.setExitStatus(CANCELLED + report.describe());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot cancel the batches of job instance " + run.instanceId(), e);
            jobContext.setExitStatus("CANCEL FAILED: " + FailureReport.reason(e));
        }
    }

    /** The instance's cancel was requested: the steps stop as on {@code JobOperator.stop()}, then afterJob cancels. */
    private static void stopForCancel(long executionId) {
        LOG.info(() -> "cancel requested: stopping execution " + executionId);
        try {
            BatchRuntime.getJobOperator().stop(executionId);
        } catch (JobExecutionNotRunningException e) {
            // it is ending anyway; afterJob sees the request
        }
    }

    /**
     * The batch status the job ends with, as seen from {@code afterJob}. JBeret has set it by
     * then; JBatch (Payara, GlassFish, Open Liberty) sets it only after {@code afterJob}, which
     * sees STARTED for a job that ran to its end and STOPPING for one being stopped. A failed
     * step has already replaced the exit status with its reason, so it never gets here.
     */
    static BatchStatus endingStatus(BatchStatus seen) {
        switch (seen) {
            case STARTING:
            case STARTED:
                return BatchStatus.COMPLETED;
            case STOPPING:
                return BatchStatus.STOPPED;
            default:
                return seen;
        }
    }

    /** Takes the lock into {@link #lock}; returns it as the steps check it. */
    private LockFence acquireLock(JobRun run) {
        long executionId = jobContext.getExecutionId();
        LockFence fence = InstanceLocks.take(run.settings(), run.paths(), jobContext.getJobName() + "/" + run.instanceId(),
                "execution " + executionId, reason -> stopAfterLostLease(executionId, reason));
        lock = (AutoCloseable) fence;
        return fence;
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
        if (cancelWatch != null) {
            cancelWatch.close();
            cancelWatch = null;
        }
        close(outputLock, "output");
        outputLock = null;
        close(lock, "instance");
        lock = null;
    }

    private static void close(AutoCloseable held, String what) {
        if (held != null) {
            try {
                held.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "cannot release the " + what + " lock", e);
            }
        }
    }
}
