package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.pipeline.InstanceCancel;
import io.github.llmbatch.pipeline.RunContext;
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

import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;

/**
 * The step of job {@code llm-batch-cancel}: cancels the provider batches of the job instance of
 * execution {@code execution} ({@link InstanceCancel}) after checking that there is such an execution
 * of job llm-batch that has not COMPLETED. Its exit status says what came of it, e.g.
 * {@code CANCELLED: 3 batches cancelled, 1 already finished; execution 7 STOPPED}.
 */
@Named
@Dependent
public class CancelBatchlet extends AbstractBatchlet {

    /** The job this batchlet is the step of, and its one parameter: what the CLI and the REST API start. */
    public static final String JOB = "llm-batch-cancel";
    public static final String EXECUTION = "execution";

    private static final Duration STATUS_RETRY = Duration.ofMillis(250);
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
        InstanceCancel.Result result = InstanceCancel.carryOut(paths, "cancel job execution "
                + jobContext.getExecutionId(), access(settings, paths, instance), stop);
        if (result.report() == null) {
            jobContext.setExitStatus("STOPPED: the cancel of job instance " + instance.getInstanceId()
                    + " is still requested; an execution that runs it cancels its batches, or cancel again");
            return BatchStatus.STOPPED.name();
        }
        // an execution that held the lock stores its end just after releasing it; one that held none
        // (stopped, failed, or killed and left STARTED) changes no more
        JobExecution ended = result.waited() ? awaitEndStatus(operator, instance) : newest(operator, instance);
        String status = InstanceLockListener.CANCELLED + result.report().describe() + "; execution "
                + ended.getExecutionId() + " " + ended.getBatchStatus()
                + (!result.waited() && LEFT_RUNNING.contains(ended.getBatchStatus()) ? " (no process runs it)" : "");
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

    /** The instance's lock as its executions take it, and the provider its executions open. */
    private InstanceCancel.Access access(JobSettings settings, InstancePaths paths, JobInstance instance) {
        return new InstanceCancel.Access() {
            @Override
            public LockFence takeLock() {
                // a lease lost while the cancel holds it ends the wait for its batches
                return InstanceLocks.take(settings, paths, instance.getJobName() + "/" + instance.getInstanceId(),
                        "cancel job execution " + jobContext.getExecutionId(), reason -> stop.stop());
            }

            @Override
            public void releaseLock(LockFence lock) {
                InstanceLocks.release(lock);
            }

            @Override
            public RunContext open(LockFence lock) {
                BatchProvider provider = Providers.open(settings, stop);
                try {
                    return new JobRun(settings, paths, instance.getInstanceId()).runContext(provider, lock);
                } catch (RuntimeException e) {
                    provider.close();
                    throw e;
                }
            }
        };
    }

    /** The newest execution of the instance once its end is stored (or as it is after a while). */
    private JobExecution awaitEndStatus(JobOperator operator, JobInstance instance) {
        long until = System.nanoTime() + END_STATUS_WAIT.toNanos();
        JobExecution newest = newest(operator, instance);
        while (RUNNING.contains(newest.getBatchStatus()) && System.nanoTime() < until
                && !stop.await(STATUS_RETRY)) {
            newest = newest(operator, instance);
        }
        return newest;
    }

    @Override
    public void stop() {
        stop.stop();
    }
}
