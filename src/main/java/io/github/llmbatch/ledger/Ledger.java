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
     * The prices this instance's figures are computed with, recorded when an execution starts, so
     * that status from any JVM shows the same figures; null in a ledger written before prices.
     */
    public Prices prices;
    /** Set when the merge step has written every record; null before (and in older ledgers). */
    public MergeSummary merge;
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
        /** Input tokens of every request, as counted in prepare. */
        public long inputTokens;
        /** True when counted with the model's own tokenizer, false when approximated. */
        public boolean inputTokensExact;
        /** The most output tokens the requests may be billed ({@code maxTokens} each); null when unbounded. */
        public Long maxOutputTokens;
    }

    /**
     * What the merge wrote, counted as it wrote it (the counts ride in its checkpoints, so a
     * restart counts each record once).
     */
    public static class MergeSummary {
        /** Null when the merge was restarted from a checkpoint of a version that did not count. */
        public Long succeeded;
        public Long failed;
        public String endedAt;
        /** Where the run report was written at the end of the merge. */
        public String report;
    }

    /** Prices in USD per 1M tokens, as the price table gave them; all null when the model is not priced. */
    public static class Prices {
        public boolean priced;
        /** Where the prices come from (the table and its date), or why there are none. */
        public String source;
        public java.math.BigDecimal standardInput;
        public java.math.BigDecimal standardCachedInput;
        public java.math.BigDecimal standardOutput;
        public java.math.BigDecimal batchInput;
        public java.math.BigDecimal batchCachedInput;
        public java.math.BigDecimal batchOutput;
    }

    /** Tokens the provider billed for an attempt's results, from their usage. */
    public static class Usage {
        /** Results billed: those that succeeded, each request once. */
        public long requests;
        public long inputTokens;
        public long cachedInputTokens;
        public long outputTokens;
        /**
         * Billed requests whose result carried no usage that could be read: counted in {@link #requests},
         * their tokens unknown (not 0), so the bill is a lower bound while this is above 0.
         */
        public long requestsWithoutUsage;
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
        /**
         * When the batch id was recorded, when its batch was first seen ended, when its results
         * were resolved (ISO-8601, for the report's durations); null in ledgers written before them.
         */
        public String createdAt;
        public String endedAt;
        public String resolvedAt;
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
        /** What the provider billed for this attempt's results; set with {@link #resolved}, null before. */
        public Usage billed;

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
