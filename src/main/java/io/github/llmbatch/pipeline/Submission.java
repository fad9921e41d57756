package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.CallStoppedException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Logger;

/** The submit step: every shard's first attempt uploaded and created. */
public final class Submission {

    private static final Logger LOG = Logger.getLogger(Submission.class.getName());

    private final RunContext run;
    private final AttemptSubmitter submitter;

    public Submission(RunContext run) {
        this.run = run;
        this.submitter = new AttemptSubmitter(run);
    }

    /**
     * Refuses to go on when prepare read records but kept none: the run would end with an empty
     * output and look like a success.
     */
    public static void requireRequests(Ledger ledger, String rejectsTarget) {
        if (ledger.prepare != null && ledger.prepare.requests == 0 && ledger.prepare.rejects > 0) {
            throw new IllegalStateException("every record (" + ledger.prepare.rejects + ") was rejected: see "
                    + rejectsTarget + "; nothing was sent");
        }
    }

    /** @return false when stopped before every shard was submitted */
    public boolean submitAll(StopSignal stop) throws IOException {
        Ledger ledger = run.ledger();
        for (Ledger.Shard shard : ledger.shards) {
            if (stop.isStopped()) {
                return false;
            }
            Ledger.Attempt first = ledger.attempt(shard.index, 1).orElseGet(() -> {
                Ledger.Attempt a = AttemptPlan.attempt(ledger, shard.index, 1, Path.of(shard.requestsFile),
                        shard.requests, shard.bytes, shard.sha256);
                ledger.attempts.add(a);
                run.save();
                return a;
            });
            try {
                submitter.submit(first);
            } catch (CallStoppedException e) {
                // the ledger holds the intent; a restart looks for what the cut call may have made
                if (stop.isStopped()) {
                    return false;
                }
                throw e;
            }
            LOG.fine(() -> "shard " + shard.index + ": batch " + first.batchId);
        }
        return true;
    }
}
