package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.pipeline.BatchCanceller;
import io.github.llmbatch.pipeline.CancelMarker;
import io.github.llmbatch.pipeline.StopSignal;
import io.github.llmbatch.provider.BatchProvider;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;

/**
 * The step of job {@code llm-batch-cancel}: cancels the provider batches of the job instance of
 * execution {@code execution}. It asks for the cancel ({@link CancelMarker}), which stops an execution
 * that runs the instance (in this process or another) and has it cancel its own batches; then it takes
 * the instance lock, as soon as no execution holds it, and cancels whatever is still running itself
 * ({@link BatchCanceller}: nothing, when the execution did it). Its exit status says what came of it,
 * e.g. {@code CANCELLED: 3 batches cancelled, 1 already finished; execution 7 STOPPED}.
 */
@Named
@Dependent
public class CancelBatchlet extends AbstractBatchlet {

    /** The job this batchlet is the step of, and its one parameter: what the CLI and the REST API start. */
    public static final String JOB = "llm-batch-cancel";
    public static final String EXECUTION = "execution";

    private static final Duration LOCK_RETRY = Duration.ofMillis(250);
    /** JBeret stores an execution's end status just after its listeners have released the lock. */
    private static final Duration END_STATUS_WAIT = Duration.ofSeconds(30);
    private static final Set<BatchStatus> RUNNING = EnumSet.of(BatchStatus.STARTING, BatchStatus.STARTED,
            BatchStatus.STOPPING);

    /** What an execution killed with its process stays in; the lock, free, says that no process runs it. */
    private static final Set<BatchStatus> LEFT_RUNNING = EnumSet.of(BatchStatus.STARTED, BatchStatus.STOPPING);

    @Inject
    JobContext jobContext;

    @Inject
    @BatchProperty
    String execution;

    private final StopSignal stop = new StopSignal();
    private boolean waitedForLock;

    @Override
    public String process() throws Exception {
        JobOperator operator = BatchRuntime.getJobOperator();
        long target = targetId();
        JobInstance instance;
        try {
            instance = operator.getJobInstance(target);
        } catch (NoSuchJobExecutionException e) {
            throw refuse("no job execution " + target + " in the job repository");
        }
        if (!"llm-batch".equals(instance.getJobName())) {
            throw refuse("execution " + target + " is of job " + instance.getJobName() + ", not llm-batch");
        }
        JobExecution newest = newest(operator, instance);
        if (newest.getBatchStatus() == BatchStatus.COMPLETED) {
            throw refuse("execution " + newest.getExecutionId() + " of job instance " + instance.getInstanceId()
                    + " has COMPLETED: its batches have ended, there is nothing to cancel");
        }
        JobSettings settings = JobSettings.from(operator.getParameters(newest.getExecutionId()));
        InstancePaths paths = InstancePaths.of(settings.workDir(), instance.getInstanceId());
        CancelMarker.request(paths, "cancel job execution " + jobContext.getExecutionId());
        LockFence lock = awaitLock(settings, paths, instance);
        if (lock == null) {
            jobContext.setExitStatus("STOPPED: the cancel of job instance " + instance.getInstanceId()
                    + " is still requested; an execution that runs it cancels its batches");
            return BatchStatus.STOPPED.name();
        }
        BatchCanceller.Report report;
        try {
            if (Files.exists(paths.ledgerFile())) {
                JobRun run = new JobRun(settings, paths, instance.getInstanceId());
                try (BatchProvider provider = Providers.open(settings, stop)) {
                    report = new BatchCanceller(run.runContext(provider, lock)).cancelAll(stop);
                }
                if (report == null) {
                    jobContext.setExitStatus("STOPPED: the batches of job instance " + instance.getInstanceId()
                            + " were asked to cancel; cancel again to wait for them to end");
                    return BatchStatus.STOPPED.name();
                }
                CancelMarker.clear(paths);
            } else {
                // no ledger, nothing ever sent (it is written before the first upload); the request stays
                // for an execution that has not taken the lock yet: it stops as soon as it has
                report = new BatchCanceller.Report(0, 0, 0);
            }
        } finally {
            InstanceLocks.release(lock);
        }
        // an execution that held the lock stores its end just after releasing it; one that held none
        // (stopped, failed, or killed and left STARTED) changes no more
        JobExecution ended = waitedForLock ? awaitEndStatus(operator, instance) : newest(operator, instance);
        String status = InstanceLockListener.CANCELLED + report.describe() + "; execution "
                + ended.getExecutionId() + " " + ended.getBatchStatus()
                + (!waitedForLock && LEFT_RUNNING.contains(ended.getBatchStatus()) ? " (no process runs it)" : "");
        jobContext.setExitStatus(status);
        return status;
    }

    private long targetId() {
        try {
            return Long.parseLong(execution == null ? "" : execution.strip());
        } catch (NumberFormatException e) {
            throw refuse("job parameter " + EXECUTION + " must be a job execution id, not '" + execution + "'");
        }
    }

    private IllegalStateException refuse(String reason) {
        jobContext.setExitStatus("REFUSED: " + reason);
        return new IllegalStateException(reason);
    }

    private static JobExecution newest(JobOperator operator, JobInstance instance) {
        return operator.getJobExecutions(instance).stream()
                .max(Comparator.comparingLong(JobExecution::getExecutionId)).orElseThrow();
    }

    /** The instance lock, once no execution holds it; null when this job is stopped first. */
    private LockFence awaitLock(JobSettings settings, InstancePaths paths, JobInstance instance) {
        String holder = "cancel job execution " + jobContext.getExecutionId();
        while (true) {
            try {
                // a lease lost while the cancel holds it stops the wait for its batches
                return InstanceLocks.take(settings, paths, instance.getJobName() + "/" + instance.getInstanceId(),
                        holder, reason -> stop.stop());
            } catch (InstanceLock.InstanceBusyException busy) {
                waitedForLock = true;
                if (stop.await(LOCK_RETRY)) {
                    return null;
                }
            }
        }
    }

    /** The newest execution of the instance once its end is stored (or as it is after a while). */
    private JobExecution awaitEndStatus(JobOperator operator, JobInstance instance) {
        long until = System.nanoTime() + END_STATUS_WAIT.toNanos();
        JobExecution newest = newest(operator, instance);
        while (RUNNING.contains(newest.getBatchStatus()) && System.nanoTime() < until
                && !stop.await(LOCK_RETRY)) {
            newest = newest(operator, instance);
        }
        return newest;
    }

    @Override
    public void stop() {
        stop.stop();
    }
}
