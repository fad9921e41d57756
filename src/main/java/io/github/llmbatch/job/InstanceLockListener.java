package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstanceLock;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

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
        } catch (InstanceLock.InstanceBusyException e) {
            // JBeret's restart of a STARTED execution lets this through; the exit status says why it stopped
            jobContext.setExitStatus("REFUSED: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            FailureReport.record(jobContext, e);
            throw e;
        }
    }

    @Override
    public void afterJob() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
