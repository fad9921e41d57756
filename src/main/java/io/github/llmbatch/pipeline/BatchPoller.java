package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerSummary;
import io.github.llmbatch.provider.CallStoppedException;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The poll step: polls every shard's newest attempt until each has a final outcome, resolving
 * ended batches (downloads, retries as new attempts) as it goes. A provider outage longer than
 * the HTTP retries is waited out, not turned into a failed job; only answers that say the
 * request itself is wrong (4xx) end it.
 */
public final class BatchPoller {

    private static final Logger LOG = Logger.getLogger(BatchPoller.class.getName());

    private final RunContext run;
    private final AttemptSubmitter submitter;
    private final AttemptResolver resolver;
    private final Consumer<LedgerSummary> progress;

    public BatchPoller(RunContext run, Consumer<LedgerSummary> progress) {
        this.run = run;
        this.submitter = new AttemptSubmitter(run);
        this.resolver = new AttemptResolver(run);
        this.progress = progress;
    }

    /** @return true when every request has a final outcome, false when stopped first */
    public boolean pollUntilDone(StopSignal stop) throws IOException {
        while (!stop.isStopped()) {
            for (Ledger.Shard shard : run.ledger().shards) {
                if (stop.isStopped()) {
                    return false;
                }
                Ledger.Attempt latest = run.ledger().latestAttempt(shard.index).orElseThrow(
                        () -> new IllegalStateException("shard " + shard.index + " was never submitted"));
                if (latest.resolved) {
                    continue;
                }
                try {
                    step(latest);
                } catch (CallStoppedException e) {
                    // what the cut call was doing is recorded as an intent at most; a restart redoes it
                    if (stop.isStopped()) {
                        return false;
                    }
                    throw e;
                }
            }
            progress.accept(run.ledger().summary());
            if (allResolved()) {
                return true;
            }
            if (stop.await(run.pollInterval())) {
                return false;
            }
        }
        return false;
    }

    private boolean allResolved() {
        return run.ledger().shards.stream()
                .allMatch(s -> run.ledger().latestAttempt(s.index).map(a -> a.resolved).orElse(false));
    }

    private void step(Ledger.Attempt attempt) throws IOException {
        if (!attempt.created()) {
            if (run.nowMillis() >= attempt.notBefore) {
                submitter.submit(attempt);
            }
            return;
        }
        RemoteBatch batch;
        try {
            batch = run.provider().getBatch(attempt.batchId);
        } catch (CallStoppedException | MalformedAnswerException e) {
            // a malformed answer is not an outage: waiting would show "unreachable" forever
            throw e;
        } catch (ProviderException e) {
            if (e.httpStatus() >= 400 && e.httpStatus() < 500 && e.httpStatus() != 408 && e.httpStatus() != 429) {
                throw e;
            }
            LOG.warning(() -> "shard " + attempt.shard + ": provider unavailable, polling again later: "
                    + e.getMessage());
            return;
        } catch (IOException e) {
            LOG.warning(() -> "shard " + attempt.shard + ": provider unreachable, polling again later: " + e);
            return;
        }
        CrashPoints.reach(CrashPoints.MID_POLL);
        if (batch.state().terminal()) {
            resolver.resolve(attempt, batch);
            Ledger.Attempt next = run.ledger().latestAttempt(attempt.shard).orElseThrow();
            if (next != attempt && !next.created() && run.nowMillis() >= next.notBefore) {
                submitter.submit(next);
            }
        } else {
            String before = attempt.status + attempt.completed + "/" + attempt.failed;
            AttemptResolver.update(attempt, batch);
            if (!before.equals(attempt.status + attempt.completed + "/" + attempt.failed)) {
                run.save();
            }
        }
    }
}
