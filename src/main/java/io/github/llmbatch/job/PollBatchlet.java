package io.github.llmbatch.job;

import io.github.llmbatch.ledger.LedgerSummary;
import io.github.llmbatch.pipeline.BatchPoller;
import io.github.llmbatch.pipeline.RunContext;
import io.github.llmbatch.pipeline.StopSignal;
import io.github.llmbatch.provider.BatchProvider;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.logging.Logger;

/**
 * poll: waits until every request has a final outcome, resubmitting retryable ones as new
 * attempts. Returns promptly on {@code JobOperator.stop()}; the batches keep running at the
 * provider and a restart picks them up.
 */
@Named
@Dependent
public class PollBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(PollBatchlet.class.getName());

    @Inject
    JobContext jobContext;

    private final StopSignal stop = new StopSignal();
    private String lastProgress = "";

    @Override
    public String process() throws Exception {
        JobRun run = JobRun.of(jobContext);
        try (BatchProvider provider = Providers.open(run.settings(), stop)) {
            RunContext context = run.runContext(provider, InstanceLockListener.heldLock(jobContext));
            boolean done = new BatchPoller(context, this::progress).pollUntilDone(stop);
            return done ? BatchStatus.COMPLETED.name() : BatchStatus.STOPPED.name();
        }
    }

    private void progress(LedgerSummary s) {
        String line = "batches " + s.batchesByStatus() + ", requests " + s.requestsDone() + "/" + s.requestsTotal();
        if (!line.equals(lastProgress)) {
            lastProgress = line;
            LOG.info(line);
        }
    }

    @Override
    public void stop() {
        stop.stop();
    }
}
