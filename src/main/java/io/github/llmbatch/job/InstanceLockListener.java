package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstanceLock;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Files;

/**
 * Before any step runs: checks the job parameters and the API key, then takes the instance
 * lock so no second execution of this job instance runs at the same time, in this process or
 * another. Releases it when the execution ends.
 */
@Named
@Dependent
public class InstanceLockListener extends AbstractJobListener {

    @Inject
    JobContext jobContext;

    private InstanceLock lock;

    @Override
    public void beforeJob() {
        try {
            JobRun run = JobRun.of(jobContext);
            Providers.requireKey(run.settings());
            lock = InstanceLock.acquire(run.paths().dir(), "execution " + jobContext.getExecutionId());
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
            lock.close();
            lock = null;
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
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
