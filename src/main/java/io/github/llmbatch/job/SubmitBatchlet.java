package io.github.llmbatch.job;

import io.github.llmbatch.pipeline.RunContext;
import io.github.llmbatch.pipeline.StopSignal;
import io.github.llmbatch.pipeline.Submission;
import io.github.llmbatch.provider.BatchProvider;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** submit: uploads each shard and creates its batch, exactly once (see AttemptSubmitter). */
@Named
@Dependent
public class SubmitBatchlet extends AbstractBatchlet {

    @Inject
    JobContext jobContext;

    private final StopSignal stop = new StopSignal();

    @Override
    public String process() throws Exception {
        JobRun run = JobRun.of(jobContext);
        Submission.requireRequests(run.ledger(), run.settings().rejectsTarget());
        try (BatchProvider provider = Providers.open(run.settings(), stop)) {
            RunContext context = run.runContext(provider, InstanceLockListener.heldLock(jobContext));
            boolean done = new Submission(context).submitAll(stop);
            return done ? BatchStatus.COMPLETED.name() : BatchStatus.STOPPED.name();
        }
    }

    @Override
    public void stop() {
        stop.stop();
    }
}
