package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.Ledger.Attempt;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.CallStoppedException;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.StopRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Cancels a job instance's spending: every batch that has not ended is cancelled at the provider and
 * waited for until it has, then resolved as the poll step resolves an ended batch (its results
 * downloaded, so a restart merges what finished); an attempt that never got a batch never gets one.
 * Runs under the instance lock, with no step of the instance running. The ledger records the cancel
 * ({@link Ledger#cancelledAt}) before anything is cancelled, so from then on nothing is created or retried
 * (see {@link AttemptSubmitter} and {@link AttemptResolver}), and each batch's {@code cancelledByUs} before
 * its cancel is sent, so the requests the cancel kept from running stay failed. Running it again after
 * a crash, or after another canceller, finishes what is left and changes nothing else.
 */
public final class BatchCanceller {

    private static final Logger LOG = Logger.getLogger(BatchCanceller.class.getName());
    /** Between looks at batches that are cancelling: they take seconds to minutes. */
    private static final Duration MAX_WAIT_BETWEEN_POLLS = Duration.ofSeconds(5);

    private final RunContext run;
    private final AttemptSubmitter submitter;
    private final AttemptResolver resolver;

    public BatchCanceller(RunContext run) {
        this.run = run;
        this.submitter = new AttemptSubmitter(run);
        this.resolver = new AttemptResolver(run);
    }

    /**
     * @param stop ends the wait for the batches early (they stay cancelling; a second cancel finishes it)
     * @return what the instance's batches came to, or null when stopped before every batch ended
     */
    public Report cancelAll(StopRequest stop) throws IOException {
        Ledger ledger = run.ledger();
        if (ledger.cancelledAt == null) {
            ledger.cancelledAt = run.now();
            run.save();
        }
        List<Attempt> open = new ArrayList<>();
        for (Attempt attempt : List.copyOf(ledger.attempts)) {
            if (attempt.resolved) {
                continue;
            }
            if (!attempt.created() && !submitter.adoptLostCreate(attempt)) {
                submitter.settleUnsent(attempt);
                continue;
            }
            requestCancel(attempt);
            open.add(attempt);
        }
        Duration every = run.pollInterval().compareTo(MAX_WAIT_BETWEEN_POLLS) < 0 ? run.pollInterval()
                : MAX_WAIT_BETWEEN_POLLS;
        while (!open.isEmpty()) {
            for (Attempt attempt : List.copyOf(open)) {
                RemoteBatch batch = look(attempt);
                if (batch != null && batch.state().terminal()) {
                    settle(attempt, batch);
                    open.remove(attempt);
                }
            }
            if (!open.isEmpty() && stop.await(every)) {
                return null;
            }
        }
        return Report.of(ledger);
    }

    /** Asks the provider to cancel a batch that may still run; one that has ended is only looked at. */
    private void requestCancel(Attempt attempt) throws IOException {
        if (attempt.status != null && stateNamed(attempt.status).terminal()) {
            return; // ended when last polled; its results are downloaded in settle
        }
        attempt.cancelledByUs = true; // before the call: a poll that sees it cancelled keeps its lines failed
        run.save();
        RemoteBatch batch;
        try {
            batch = run.provider().cancelBatch(attempt.batchId);
        } catch (ProviderException e) {
            // a batch that ended meanwhile cannot be cancelled (providers answer 400, 409 …)
            if (e.httpStatus() < 400 || e.httpStatus() >= 500 || e.httpStatus() == 408 || e.httpStatus() == 429) {
                throw e;
            }
            batch = run.provider().getBatch(attempt.batchId);
            if (!batch.state().terminal() && batch.state() != BatchState.CANCELLING) {
                throw e;
            }
            // it ended by itself (or an earlier cancel of ours, cut short, ended it)
            attempt.cancelledByUs = batch.state() == BatchState.CANCELLING || batch.state() == BatchState.CANCELLED;
        }
        AttemptResolver.update(attempt, batch);
        run.save();
        LOG.info(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": batch " + attempt.batchId
                + " " + attempt.status);
    }

    private static BatchState stateNamed(String status) {
        try {
            return BatchState.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return BatchState.IN_PROGRESS;
        }
    }

    /** The batch as the provider has it now; null while the provider cannot say (as the poll step waits it out). */
    private RemoteBatch look(Attempt attempt) throws IOException {
        try {
            return run.provider().getBatch(attempt.batchId);
        } catch (CallStoppedException | MalformedAnswerException e) {
            throw e;
        } catch (ProviderException e) {
            if (e.httpStatus() >= 400 && e.httpStatus() < 500 && e.httpStatus() != 408 && e.httpStatus() != 429) {
                throw e;
            }
            LOG.warning(() -> "shard " + attempt.shard + ": provider unavailable, looking again later: " + e.getMessage());
            return null;
        } catch (IOException e) {
            LOG.warning(() -> "shard " + attempt.shard + ": provider unreachable, looking again later: " + e);
            return null;
        }
    }

    /**
     * An ended batch: resolved as the poll step would, its partial results downloaded. A refused batch
     * ({@link BatchState#FAILED}) has none; it is settled as it is instead of failing the job or being
     * created again.
     */
    private void settle(Attempt attempt, RemoteBatch batch) throws IOException {
        if (batch.state() == BatchState.FAILED) {
            AttemptResolver.update(attempt, batch);
            attempt.retried = 0;
            attempt.resolved = true;
            run.save();
            return;
        }
        resolver.resolve(attempt, batch);
    }

    /**
     * What a cancel left, from the ledger, so every canceller of an instance says the same.
     *
     * @param cancelled batches cancelled by the job that ended cancelled
     * @param finished  batches that ended by themselves (completed, expired, failed), before or despite the cancel
     * @param notSent   shards or retries that never got a batch
     */
    public record Report(int cancelled, int finished, int notSent) {

        public static Report of(Ledger ledger) {
            int cancelled = 0;
            int finished = 0;
            int notSent = 0;
            for (Attempt a : ledger.attempts) {
                if (a.created() && a.cancelledByUs && "cancelled".equals(a.status)) {
                    cancelled++;
                } else if (a.created()) {
                    finished++;
                } else {
                    notSent++;
                }
            }
            for (Ledger.Shard shard : ledger.shards) {
                if (ledger.attempt(shard.index, 1).isEmpty()) {
                    notSent++;
                }
            }
            return new Report(cancelled, finished, notSent);
        }

        /** For example {@code 3 batches cancelled, 1 already finished}. */
        public String describe() {
            String text = count(cancelled, "batch", "batches") + " cancelled, " + finished + " already finished";
            return notSent == 0 ? text : text + ", " + notSent + " never sent";
        }

        private static String count(int n, String one, String many) {
            return n + " " + (n == 1 ? one : many);
        }
    }
}
