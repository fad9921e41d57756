package io.github.llmbatch.job;

import io.github.llmbatch.cost.Budget;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.ledger.Ledger;
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

/**
 * submit: uploads each shard and creates its batch, exactly once (see AttemptSubmitter). With a
 * {@code budget} the estimate is held against it first: over it, the step fails before any upload
 * with exit status {@code BUDGET_EXCEEDED: ...}, and a restart with a higher budget starts here again.
 */
@Named
@Dependent
public class SubmitBatchlet extends AbstractBatchlet {

    @Inject
    JobContext jobContext;

    private final StopSignal stop = new StopSignal();

    @Override
    public String process() throws Exception {
        JobRun run = JobRun.of(jobContext);
        Ledger ledger = run.ledger();
        Submission.requireRequests(ledger, run.settings().rejectsTarget());
        if (run.settings().budget() != null) {
            new Budget(run.settings().budget()).refusal(LedgerCost.estimate(ledger), LedgerCost.price(ledger).isPresent(),
                    ledger.prices == null ? "no prices recorded" : ledger.prices.source).ifPresent(refusal -> {
                        throw new BudgetExceededException(refusal);
                    });
        }
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
