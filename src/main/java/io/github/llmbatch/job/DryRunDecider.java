package io.github.llmbatch.job;

import io.github.llmbatch.cost.EstimateText;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.api.Decider;
import jakarta.batch.runtime.StepExecution;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** After prepare: with {@code dryRun=true}, prints the shard summary and the cost estimate and ends the job there. */
@Named
@Dependent
public class DryRunDecider implements Decider {

    public static final String DRY_RUN = "DRY_RUN";
    /** Goes on to submit; not a final word, so the job listener replaces it as the job's exit status. */
    public static final String CONTINUE = "CONTINUE";

    @Inject
    JobContext jobContext;

    @Override
    public String decide(StepExecution[] executions) {
        JobRun run = JobRun.of(jobContext);
        if (!run.settings().dryRun()) {
            return CONTINUE;
        }
        Ledger ledger = run.ledger();
        StringBuilder out = new StringBuilder();
        out.append(String.format("dry run: %d records, %d requests in %d shards (%,d bytes), %d rejects (%s)%n",
                ledger.prepare.inputRecords, ledger.prepare.requests, ledger.shards.size(),
                ledger.prepare.requestBytes, ledger.prepare.rejects, run.settings().rejectsTarget()));
        for (Ledger.Shard s : ledger.shards) {
            out.append(String.format("  %s  %d requests  %,d bytes%n", s.requestsFile, s.requests, s.bytes));
        }
        out.append(String.format("estimate:%n")).append(EstimateText.of(ledger, run.settings().budget()));
        System.out.print(out);
        return DRY_RUN;
    }
}
