package io.github.llmbatch.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record of one job instance: what was prepared locally and what exists at the
 * provider. It is the single source of truth for "was this shard uploaded, was its batch
 * created": every remote call that creates something is preceded by an intent written here
 * and followed by its result (write-ahead), see {@link Attempt}.
 *
 * <p>Bound with JSON-B; public fields keep the document shape obvious.
 */
public class Ledger {

    public int version = 1;
    public long jobInstanceId;
    /** Random, fixed when the ledger is created; part of every idempotency key. */
    public String runId;
    public String provider;
    public String endpoint;
    public String model;
    /**
     * The normalized values of the job parameters fixed for this instance (name to value, null
     * when unset), recorded by its first execution; every later one must have the same.
     */
    public Map<String, String> fixedParameters;
    /** Set once the prepare step has finished. */
    public PrepareSummary prepare;
    public List<Shard> shards = new ArrayList<>();
    public List<Attempt> attempts = new ArrayList<>();
    /** The input's field names in first-seen order; the merged CSV's columns. */
    public List<String> recordFields = new ArrayList<>();
    /**
     * When a cancel of this instance began (ISO-8601), else null. Saved before the first batch is
     * cancelled; from then on no batch is created and no request retried: what had not run stays failed.
     */
    public String cancelledAt;

    public Optional<Attempt> attempt(int shard, int attempt) {
        return attempts.stream().filter(a -> a.shard == shard && a.attempt == attempt).findFirst();
    }

    /** The newest attempt of a shard. */
    public Optional<Attempt> latestAttempt(int shard) {
        Attempt latest = null;
        for (Attempt a : attempts) {
            if (a.shard == shard && (latest == null || a.attempt > latest.attempt)) {
                latest = a;
            }
        }
        return Optional.ofNullable(latest);
    }

    public List<Attempt> attemptsOf(int shard) {
        return attempts.stream().filter(a -> a.shard == shard)
                .sorted(java.util.Comparator.comparingInt(a -> a.attempt)).toList();
    }

    public LedgerSummary summary() {
        return LedgerSummary.of(this);
    }

    /** Counts from the prepare step. */
    public static class PrepareSummary {
        public long inputRecords;
        public long requests;
        public long rejects;
        public long requestBytes;
    }

    /** A shard as written by prepare: its request lines and, in the same order, its records. */
    public static class Shard {
        public int index;
        public String requestsFile;
        public String recordsFile;
        public long requests;
        public long bytes;
        public String sha256;
    }

    /**
     * One submission of (part of) a shard. Attempt 1 holds every request of the shard; attempt
     * n+1 holds the retryable requests of attempt n. Life-cycle fields are filled in order:
     * upload intent, file id, create intent, batch id, polled state, downloads, resolution.
     */
    public static class Attempt {
        public int shard;
        public int attempt;
        /** Local request file for this attempt. */
        public String requestsFile;
        public long requests;
        /** Size of the request file as written, checked before it is uploaded. */
        public long bytes;
        /**
         * SHA-256 (hex) of the request file as written, checked before it is uploaded; null in a
         * ledger written before attempts had one (then only the size is checked).
         */
        public String sha256;
        /** Idempotency key: job instance + shard + attempt; the remote file name derives from it. */
        public String key;

        public String uploadStartedAt;
        public String fileId;
        public String createStartedAt;
        public String batchId;
        /** Earliest time (epoch ms) the create may be (re)tried, e.g. after an enqueued-token limit. */
        public long notBefore;
        /** How many times the provider refused the batch for an enqueued-token limit. */
        public int tokenLimitRefusals;

        public String status;
        public long total;
        public long completed;
        public long failed;
        public String outputRef;
        public String errorRef;
        public List<BatchFailure> errors = new ArrayList<>();
        /** Local copies of the result files, set once fully downloaded. */
        public String outputFile;
        public String errorFile;
        /** True once the results were classified and any retry attempt was recorded. */
        public boolean resolved;
        /** Ids in this attempt that will be retried in the next one. */
        public long retried;
        /** Whether we cancelled the batch ourselves (then `batch_cancelled` lines are not retried). */
        public boolean cancelledByUs;

        public boolean created() {
            return batchId != null;
        }
    }

    /** A batch-level error as the provider reported it. */
    public static class BatchFailure {
        public String code;
        public String message;
        public Integer line;

        public BatchFailure() {
        }

        public BatchFailure(String code, String message, Integer line) {
            this.code = code;
            this.message = message;
            this.line = line;
        }
    }
}
