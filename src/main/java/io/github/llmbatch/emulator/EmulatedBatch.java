package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One batch and its life-cycle state. Mutators are synchronized; the processing thread waits on the
 * same monitor, so a cancel wakes it at once.
 */
final class EmulatedBatch {

    static final long WINDOW_SECONDS = 24 * 3600;

    private final String id;
    private final int ordinal;
    private final BatchFormat format;
    private final String displayName;
    private final boolean orderedResults;
    private final String endpoint;
    private final String inputFileId;
    private final String completionWindow;
    private final Map<String, String> metadata;
    private final Long outputExpiresAfterSeconds;
    private final long createdAt;

    private String status = "validating";
    private String model;
    private List<BatchErrorEntry> errors;
    private String outputFileId;
    private String errorFileId;
    private Long inProgressAt;
    private Long finalizingAt;
    private Long completedAt;
    private Long failedAt;
    private Long expiredAt;
    private Long cancellingAt;
    private Long cancelledAt;
    private long total;
    private long completed;
    private long failed;
    private long inputTokens;
    private long outputTokens;
    private long cachedInputTokens;
    /** System prompts this batch's requests had: a request that repeats one finds it in the prompt cache. */
    private final java.util.Set<String> prefixes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean deleted;
    private int laggedPolls;

    /** What a client can see of a batch at one moment; times are Unix seconds, null when not reached. */
    record Snapshot(String status, String model, List<BatchErrorEntry> errors, String outputFileId,
                    String errorFileId, long createdAt, Long inProgressAt, Long finalizingAt, Long completedAt,
                    Long failedAt, Long expiredAt, Long cancellingAt, Long cancelledAt, long total, long completed,
                    long failed, long inputTokens, long outputTokens, long cachedInputTokens) {

        /** When the batch last changed. */
        long updatedAt() {
            long latest = createdAt;
            for (Long at : new Long[] {inProgressAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt,
                    cancelledAt}) {
                if (at != null && at > latest) {
                    latest = at;
                }
            }
            return latest;
        }

        /** When the batch reached its final state, or null. */
        Long endedAt() {
            for (Long at : new Long[] {completedAt, failedAt, expiredAt, cancelledAt}) {
                if (at != null) {
                    return at;
                }
            }
            return null;
        }
    }

    /**
     * @param ordinal         1-based creation order, what per-batch faults refer to
     * @param format          how its input is read and its results written
     * @param metadata        null when the create call had none
     * @param displayName     the user's label (Gemini), or null
     * @param model           the model named at creation (Gemini), or null when validation finds it (OpenAI)
     * @param orderedResults  results must stay in input order whatever the fault plan says (Gemini inline)
     */
    EmulatedBatch(String id, int ordinal, BatchFormat format, String endpoint, String inputFileId,
                  String completionWindow, Map<String, String> metadata, Long outputExpiresAfterSeconds,
                  String displayName, String model, boolean orderedResults) {
        this.id = id;
        this.ordinal = ordinal;
        this.format = format;
        this.displayName = displayName;
        this.model = model;
        this.orderedResults = orderedResults;
        this.endpoint = endpoint;
        this.inputFileId = inputFileId;
        this.completionWindow = completionWindow;
        this.metadata = metadata;
        this.outputExpiresAfterSeconds = outputExpiresAfterSeconds;
        this.createdAt = UnixTime.now();
    }

    String id() {
        return id;
    }

    int ordinal() {
        return ordinal;
    }

    String endpoint() {
        return endpoint;
    }

    BatchFormat format() {
        return format;
    }

    String displayName() {
        return displayName;
    }

    boolean resultsMayBeShuffled() {
        return !orderedResults;
    }

    synchronized boolean deleted() {
        return deleted;
    }

    /** Hides the batch from lists and lookups; a batch still running is cancelled first by the caller. */
    synchronized void markDeleted() {
        deleted = true;
    }

    /**
     * Whether this poll of a finished batch is one of the first {@code lag} that must not show its
     * results yet (fault plan {@code fileLag}); counts the poll.
     */
    synchronized boolean lagsResults(int lag, boolean countThisPoll) {
        if (laggedPolls >= lag) {
            return false;
        }
        if (countThisPoll) {
            laggedPolls++;
        }
        return true;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(status, model, errors, outputFileId, errorFileId, createdAt, inProgressAt, finalizingAt,
                completedAt, failedAt, expiredAt, cancellingAt, cancelledAt, total, completed, failed, inputTokens,
                outputTokens, cachedInputTokens);
    }

    String inputFileId() {
        return inputFileId;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    Long outputExpiresAfterSeconds() {
        return outputExpiresAfterSeconds;
    }

    synchronized String status() {
        return status;
    }

    synchronized boolean cancelRequested() {
        return cancellingAt != null;
    }

    /**
     * Asks to cancel and returns the status before, or null when the batch is already terminal (it is
     * left unchanged). Cancelling a cancelling batch changes nothing.
     */
    synchronized String requestCancel() {
        if (terminal()) {
            return null;
        }
        String before = status;
        if (cancellingAt == null) {
            status = "cancelling";
            cancellingAt = UnixTime.now();
            notifyAll();
        }
        return before;
    }

    /** validating → in_progress, unless a cancel came first. */
    synchronized boolean startProgress(long requests, String processingModel) {
        if (!status.equals("validating")) {
            return false;
        }
        status = "in_progress";
        inProgressAt = UnixTime.now();
        total = requests;
        model = processingModel;
        return true;
    }

    /** validating → failed, unless a cancel came first. */
    synchronized boolean fail(List<BatchErrorEntry> validationErrors, String processingModel) {
        if (!status.equals("validating")) {
            return false;
        }
        status = "failed";
        failedAt = UnixTime.now();
        errors = List.copyOf(validationErrors);
        model = processingModel;
        return true;
    }

    /** in_progress → finalizing, unless a cancel came first. */
    synchronized boolean startFinalizing() {
        if (!status.equals("in_progress")) {
            return false;
        }
        status = "finalizing";
        finalizingAt = UnixTime.now();
        return true;
    }

    /** finalizing → completed; a batch cancelled meanwhile ends cancelled instead (with all results). */
    synchronized void finish(String outputFile, String errorFile) {
        setFiles(outputFile, errorFile);
        if (cancellingAt != null) {
            status = "cancelled";
            cancelledAt = UnixTime.now();
        } else {
            status = "completed";
            completedAt = UnixTime.now();
        }
    }

    synchronized void expire(String outputFile, String errorFile) {
        setFiles(outputFile, errorFile);
        status = "expired";
        expiredAt = UnixTime.now();
    }

    synchronized void cancelled(String outputFile, String errorFile) {
        setFiles(outputFile, errorFile);
        status = "cancelled";
        cancelledAt = UnixTime.now();
    }

    /** Any state → failed, when the emulator itself broke; a client must not wait forever. */
    synchronized void crash(String message) {
        status = "failed";
        failedAt = UnixTime.now();
        errors = List.of(new BatchErrorEntry("server_error", message, null, null));
    }

    synchronized void countSucceeded(long promptTokens, long completionTokens, long cachedTokens) {
        completed++;
        inputTokens += promptTokens;
        outputTokens += completionTokens;
        cachedInputTokens += cachedTokens;
    }

    /** Whether an earlier request of this batch had this system prompt (then it is cached); remembers it. */
    boolean sharedPrefix(String systemPrompt) {
        return !prefixes.add(systemPrompt);
    }

    synchronized void countFailed() {
        failed++;
    }

    /**
     * Waits up to {@code millis} or until a cancel is requested.
     *
     * @return whether a cancel has been requested
     */
    synchronized boolean awaitCancel(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (cancellingAt == null) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return cancellingAt != null;
    }

    /**
     * Writes the Batch object with every key of the newest schema, null when unset, in OpenAI's shapes
     * or, for a format with {@link BatchFormat#azureShapes()}, Azure's.
     */
    synchronized void writeJson(JsonGenerator json) throws IOException {
        boolean azure = format.azureShapes();
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeStringField("object", "batch");
        json.writeStringField("endpoint", endpoint);
        EmulatorJson.writeNullableString(json, "model", model);
        if (errors == null) {
            json.writeNullField("errors");
        } else {
            json.writeObjectFieldStart("errors");
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (BatchErrorEntry error : errors) {
                json.writeStartObject();
                json.writeStringField("code", error.code());
                json.writeStringField("message", error.message());
                EmulatorJson.writeNullableString(json, "param", error.param());
                EmulatorJson.writeNullableLong(json, "line", error.line());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeStringField("input_file_id", inputFileId);
        json.writeStringField("completion_window", completionWindow);
        json.writeStringField("status", azure ? pascalCase(status) : status);
        EmulatorJson.writeNullableString(json, "output_file_id", outputFileId);
        EmulatorJson.writeNullableString(json, "error_file_id", errorFileId);
        writeTime(json, azure, "created_at", createdAt);
        writeTime(json, azure, "in_progress_at", inProgressAt);
        writeTime(json, azure, "expires_at", azure ? null : createdAt + WINDOW_SECONDS);
        writeTime(json, azure, "finalizing_at", finalizingAt);
        writeTime(json, azure, "completed_at", completedAt);
        writeTime(json, azure, "failed_at", failedAt);
        writeTime(json, azure, "expired_at", expiredAt);
        writeTime(json, azure, "cancelling_at", cancellingAt);
        writeTime(json, azure, "cancelled_at", cancelledAt);
        // Azure's older API versions show null counts before the requests are counted
        boolean uncounted = azure && inProgressAt == null && total == 0;
        json.writeObjectFieldStart("request_counts");
        EmulatorJson.writeNullableLong(json, "total", uncounted ? null : total);
        EmulatorJson.writeNullableLong(json, "completed", uncounted ? null : completed);
        EmulatorJson.writeNullableLong(json, "failed", uncounted ? null : failed);
        json.writeEndObject();
        EmulatorJson.writeTokenUsage(json, inputTokens, cachedInputTokens, outputTokens);
        writeMetadata(json, metadata);
        json.writeEndObject();
    }

    /** Unix seconds (OpenAI) or an ISO-8601 string (Azure's docs); null when not reached. */
    private static void writeTime(JsonGenerator json, boolean iso, String field, Long epochSeconds) throws IOException {
        if (epochSeconds != null && iso) {
            json.writeStringField(field, Instant.ofEpochSecond(epochSeconds).toString());
        } else {
            EmulatorJson.writeNullableLong(json, field, epochSeconds);
        }
    }

    /** {@code in_progress} → {@code InProgress}, as Azure's docs write {@code Validating} and {@code Completed}. */
    static String pascalCase(String status) {
        StringBuilder out = new StringBuilder(status.length());
        for (String word : status.split("_")) {
            if (!word.isEmpty()) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
        }
        return out.toString();
    }

    static void writeMetadata(JsonGenerator json, Map<String, String> metadata) throws IOException {
        if (metadata == null) {
            json.writeNullField("metadata");
            return;
        }
        json.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    private boolean terminal() {
        return switch (status) {
            case "completed", "failed", "expired", "cancelled" -> true;
            default -> false;
        };
    }

    private void setFiles(String outputFile, String errorFile) {
        outputFileId = outputFile;
        errorFileId = errorFile;
    }
}
