package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.Ledger.Attempt;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.Outcome;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.shard.AppendOnlyFile;
import io.github.llmbatch.shard.LineReader;
import io.github.llmbatch.shard.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Handles a batch that has ended: downloads its result files (again when a line does not parse),
 * sorts its requests into settled (succeeded, or failed for good) and retryable (throttled, server
 * error, expired, cancelled, timed out, missing from both files, or on a line that stayed
 * malformed), and records the retryable ones as the shard's next attempt while attempts remain.
 * A batch refused for a limit that clears by itself (the provider's profile says which, such as an
 * enqueued-token limit) is created again after a back-off; any other refused batch fails the job
 * with the provider's errors.
 */
public final class AttemptResolver {

    private static final Logger LOG = Logger.getLogger(AttemptResolver.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** Downloads of one result file while its lines do not parse, the first included. */
    static final int MAX_DOWNLOADS = 3;

    private final RunContext run;

    public AttemptResolver(RunContext run) {
        this.run = run;
    }

    /** Copies what the provider says about a batch into its attempt. */
    static void update(Attempt attempt, RemoteBatch batch) {
        attempt.status = batch.state().name().toLowerCase(Locale.ROOT);
        attempt.total = batch.total();
        attempt.completed = batch.completed();
        attempt.failed = batch.failed();
        attempt.outputRef = batch.outputRef();
        attempt.errorRef = batch.errorRef();
        attempt.errors.clear();
        for (BatchError e : batch.errors()) {
            attempt.errors.add(new Ledger.BatchFailure(e.code(), e.message(), e.line()));
        }
    }

    /** Resolves an attempt whose batch is in a terminal state. */
    public void resolve(Attempt attempt, RemoteBatch batch) throws IOException {
        update(attempt, batch);
        if (attempt.endedAt == null) {
            attempt.endedAt = run.now();
        }
        if (batch.state() == BatchState.FAILED) {
            refused(attempt, batch);
            return;
        }
        Set<String> returned = new HashSet<>();
        BilledResults billed = new BilledResults();
        Set<String> settled = downloadAndSettle(attempt, returned, billed);
        Ledger.Usage bill = new Ledger.Usage();
        long retry = writeNextAttempt(attempt, settled, returned, billed, bill);
        attempt.retried = mayRetry(attempt) ? retry : 0;
        // Saved with "resolved", replacing what an interrupted resolve of this attempt computed: the
        // bill of a batch resolved again after a crash or a restart is counted once.
        attempt.billed = bill;
        attempt.resolved = true;
        attempt.resolvedAt = run.now();
        CrashPoints.reach(CrashPoints.BEFORE_RESOLVED);
        run.save();
        warnIfUnmetered(attempt, bill);
        if (retry > 0) {
            LOG.info(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": " + retry
                    + " requests to retry" + (mayRetry(attempt) ? ""
                    : run.ledger().cancelledAt != null ? ", but the job was cancelled" : ", but no attempts left"));
        }
    }

    /** Attempts remain, and the instance was not cancelled (after a cancel nothing more is sent). */
    private boolean mayRetry(Attempt attempt) {
        return attempt.attempt < run.maxAttempts() && run.ledger().cancelledAt == null;
    }

    private void refused(Attempt attempt, RemoteBatch batch) {
        if (!run.profile().isTemporaryRefusal(batch.errors())) {
            run.save();
            throw new BatchFailedException(attempt, attempt.errors);
        }
        // The limit clears as other batches finish: create it again later under a new key (the
        // refused batch keeps the old one), reusing the uploaded file. (The ledger's field keeps its
        // first name, tokenLimitRefusals.)
        attempt.tokenLimitRefusals++;
        Duration wait = run.pollInterval().multipliedBy(1L << Math.min(attempt.tokenLimitRefusals, 10));
        if (wait.compareTo(MAX_BACKOFF) > 0) {
            wait = MAX_BACKOFF;
        }
        attempt.notBefore = run.nowMillis() + wait.toMillis();
        attempt.key = attempt.key.replaceFirst("-t\\d+$", "") + "-t" + attempt.tokenLimitRefusals;
        attempt.batchId = null;
        attempt.createStartedAt = null;
        attempt.createdAt = null;
        attempt.endedAt = null;
        attempt.status = null;
        run.save();
        Duration shown = wait;
        LOG.warning(() -> "shard " + attempt.shard + " attempt " + attempt.attempt
                + ": the provider refused the batch for a limit that clears as other batches finish ("
                + codes(batch) + "); creating the batch again in " + shown);
    }

    private static String codes(RemoteBatch batch) {
        return batch.errors().stream().map(BatchError::code).distinct().collect(Collectors.joining(", "));
    }

    /**
     * Reads the attempt's result files, downloading each unless it is already recorded and whole,
     * and returns the custom_ids they settle. A download with lines that do not parse is fetched
     * again, up to {@value #MAX_DOWNLOADS} times in all; a file is recorded in the ledger only once
     * it has been read through, so a restart never trusts a download nobody checked.
     */
    private Set<String> downloadAndSettle(Attempt attempt, Set<String> returned, BilledResults billed)
            throws IOException {
        Set<String> settled = new HashSet<>();
        if (attempt.outputRef != null) {
            String file = fetchChecked(attempt, attempt.outputRef, attempt.outputFile, "output", settled, returned,
                    billed).toString();
            if (!file.equals(attempt.outputFile)) {
                attempt.outputFile = file;
                run.save();
            }
        }
        if (attempt.errorRef != null) {
            String file = fetchChecked(attempt, attempt.errorRef, attempt.errorFile, "errors", settled, returned,
                    billed).toString();
            if (!file.equals(attempt.errorFile)) {
                attempt.errorFile = file;
                run.save();
            }
        }
        return settled;
    }

    private Path fetchChecked(Attempt attempt, String ref, String recorded, String kind, Set<String> settled,
                              Set<String> returned, BilledResults billed) throws IOException {
        if (recorded != null && Files.isRegularFile(Path.of(recorded))) {
            Set<String> ids = new HashSet<>();
            Set<String> all = new HashSet<>();
            BilledResults paid = new BilledResults();
            ResultFileScan.Report report = scan(attempt, Path.of(recorded), ids, all, paid);
            if (report.clean()) {
                settled.addAll(ids);
                returned.addAll(all);
                billed.addAll(paid);
                return Path.of(recorded);
            }
            // damaged on disk since (or recorded by a version that did not check): fetch it again
            LOG.warning(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": " + damage(report)
                    + "; downloading it again");
        }
        Files.createDirectories(run.paths().resultsDir());
        Path target = resultFile(attempt, kind);
        for (int download = 1; ; download++) {
            try {
                run.provider().download(ref, target);
            } catch (IOException e) {
                // a full disk here says "No space left on device" and nothing about where
                throw new IOException("shard " + attempt.shard + " attempt " + attempt.attempt + ": cannot download "
                        + ref + " to " + target + ": " + e.getMessage(), e);
            }
            if (kind.equals("output")) {
                CrashPoints.reach(CrashPoints.MID_DOWNLOAD);
            }
            Set<String> ids = new HashSet<>();
            Set<String> all = new HashSet<>();
            BilledResults paid = new BilledResults();
            ResultFileScan.Report report = scan(attempt, target, ids, all, paid);
            if (report.clean() || download == MAX_DOWNLOADS) {
                if (!report.clean()) {
                    reportKept(attempt, report, download);
                }
                settled.addAll(ids);
                returned.addAll(all);
                billed.addAll(paid);
                return target;
            }
            int tried = download;
            LOG.warning(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": download " + tried
                    + " of " + ref + ": " + damage(report) + "; downloading it again");
        }
    }

    /**
     * Collects the custom_ids of every result line in {@code returned}, of those not to be retried in
     * {@code settled}, and of those that succeeded, which the provider bills, with their usage in {@code billed}.
     */
    private ResultFileScan.Report scan(Attempt attempt, Path file, Set<String> settled, Set<String> returned,
                                       BilledResults billed) throws IOException {
        return ResultFileScan.scan(file, run.provider().resultDecoder(), r -> {
            returned.add(r.customId());
            Outcome outcome = run.profile().outcomeOf(r, attempt.cancelledByUs);
            if (outcome != Outcome.RETRYABLE) {
                settled.add(r.customId());
            }
            if (outcome == Outcome.SUCCEEDED) {
                billed.add(r.customId(), run.profile().usageOf(r));
            }
        });
    }

    /** Once per attempt: which billed results had no usage, so the bill is incomplete. */
    private static void warnIfUnmetered(Attempt attempt, Ledger.Usage bill) {
        if (bill.requestsWithoutUsage > 0) {
            LOG.warning(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": "
                    + bill.requestsWithoutUsage + " of " + bill.requests + " succeeded results carry no usage that"
                    + " can be read; they are counted as billed requests with unknown tokens, and the bill says it"
                    + " is incomplete");
        }
    }

    private static String damage(ResultFileScan.Report report) {
        return report.file() + " has " + report.malformedLines() + " of " + report.lines()
                + " lines that are not result lines (first: line " + report.malformed().get(0).line() + ": "
                + report.malformed().get(0).reason() + ")";
    }

    /** The damage stayed: its requests go on as if they had no result line, which is retryable. */
    private void reportKept(Attempt attempt, ResultFileScan.Report report, int downloads) {
        String prefix = "shard " + attempt.shard + " attempt " + attempt.attempt + ": ";
        LOG.warning(prefix + damage(report) + " in each of " + downloads + " downloads; keeping the last, "
                + "its requests on those lines are retried as a new attempt while attempts remain ("
                + Outcome.MALFORMED_RESULT + ", or " + Outcome.MISSING_RESULT + " where the custom_id is unreadable)");
        for (ResultFileScan.Malformed m : report.malformed()) {
            LOG.warning(prefix + m.describe(report.file()));
        }
        if (report.malformedLines() > report.malformed().size()) {
            LOG.warning(prefix + (report.malformedLines() - report.malformed().size()) + " more such lines in "
                    + report.file());
        }
    }

    private Path resultFile(Attempt attempt, String kind) {
        return run.paths().resultsDir().resolve(
                String.format("shard-%05d.attempt-%d.%s.jsonl", attempt.shard, attempt.attempt, kind));
    }

    /**
     * Result lines for custom_ids the attempt never sent mean the batch is not (only) its own: a batch
     * adopted after a lost create by its shape (a provider that keeps no idempotency key) that was
     * another's. Results are joined by custom_id, so such lines are never merged into this shard and
     * the attempt's requests without a result are retried; this says so instead of staying silent.
     */
    private static void warnIfForeign(Attempt attempt, long foreign) {
        if (foreign > 0) {
            LOG.warning(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": batch " + attempt.batchId
                    + " returned " + foreign + " results for custom_ids this attempt did not send; they are ignored"
                    + " (a batch found again after a lost create that was not this attempt's?)");
        }
    }

    /**
     * Counts the unsettled requests and, while attempts remain, writes them as the next attempt. Checks
     * on the way that the batch answered only requests the attempt sent ({@link #warnIfForeign}), and adds
     * up the bill of the attempt's requests that have a billed result.
     */
    private long writeNextAttempt(Attempt attempt, Set<String> settled, Set<String> returned, BilledResults billed,
                                  Ledger.Usage bill) throws IOException {
        boolean another = mayRetry(attempt);
        Path nextFile = Path.of(attempt.requestsFile).resolveSibling(
                String.format("shard-%05d.attempt-%d.requests.jsonl", attempt.shard, attempt.attempt + 1));
        Path tmp = nextFile.resolveSibling(nextFile.getFileName() + ".tmp");
        long count = 0;
        long answered = 0;
        Sha256 digest = new Sha256();
        try (LineReader lines = new LineReader(Path.of(attempt.requestsFile), 0);
             AppendOnlyFile out = another ? AppendOnlyFile.create(tmp) : null) {
            while (lines.next()) {
                if (lines.length() == 0) {
                    continue;
                }
                String id = run.profile().customIdOf(lines.buffer(), lines.start(), lines.length());
                if (returned.contains(id)) {
                    answered++;
                    billed.addTo(bill, id);
                }
                if (!settled.contains(id)) {
                    count++;
                    if (out != null) {
                        out.write(lines.buffer(), lines.start(), lines.length());
                        out.write((byte) '\n');
                        digest.update(lines.buffer(), lines.start(), lines.length());
                        digest.update((byte) '\n');
                    }
                }
            }
            if (out != null) {
                out.force();
            }
        }
        warnIfForeign(attempt, returned.size() - answered);
        if (!another) {
            return count;
        }
        if (count == 0) {
            Files.deleteIfExists(tmp);
            return 0;
        }
        Files.move(tmp, nextFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        AppendOnlyFile.forceDirectory(nextFile.getParent()); // the ledger is about to record it
        if (run.ledger().attempt(attempt.shard, attempt.attempt + 1).isEmpty()) {
            run.ledger().attempts.add(AttemptPlan.attempt(run.ledger(), attempt.shard, attempt.attempt + 1,
                    nextFile, count, Files.size(nextFile), digest.hex()));
        }
        return count;
    }
}
