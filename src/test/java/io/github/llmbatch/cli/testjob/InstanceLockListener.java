package io.github.llmbatch.cli.testjob;

import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Path;

/** Holds the instance lock for the whole execution, as the real job does. */
@Dependent
@Named("cliTestInstanceLockListener")
public class InstanceLockListener extends AbstractJobListener {

    @Inject
    JobContext job;

    @Inject
    @BatchProperty
    String workDir;

    private InstanceLock lock;

    @Override
    public void beforeJob() {
        lock = InstanceLock.acquire(InstancePaths.of(Path.of(workDir), job.getInstanceId()).dir(),
                "execution " + job.getExecutionId());
    }

    @Override
    public void afterJob() {
        if (lock != null) {
            lock.close();
        }
    }
}
