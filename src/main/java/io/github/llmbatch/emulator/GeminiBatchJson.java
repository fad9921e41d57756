package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * Writes a Gemini batch as the API does: a long-running-operation envelope (BATCH-PROTOCOLS.md §C.3)
 * with the batch in {@code metadata}, int64 counts as strings (zero ones left out), RFC 3339 times.
 *
 * <p>The engine's states map onto Gemini's: {@code validating} → {@code BATCH_STATE_PENDING};
 * {@code in_progress}, {@code finalizing} and {@code cancelling} → {@code BATCH_STATE_RUNNING} (a
 * cancel takes effect when the batch stops, which the spec leaves open); {@code completed} →
 * {@code SUCCEEDED}, {@code failed} → {@code FAILED} with {@code error}, {@code expired} →
 * {@code EXPIRED}, {@code cancelled} → {@code CANCELLED}. A finished batch has {@code done: true}; a
 * succeeded one names its responses file in {@code metadata.output} and in {@code response} (both, as
 * §C.3 advises), unless the fault plan's {@code fileLag} still hides it. EXPIRED and CANCELLED
 * batches carry neither {@code response} nor {@code error}: their state says it all.
 */
final class GeminiBatchJson {

    private static final String TYPE_PREFIX = "type.googleapis.com/google.ai.generativelanguage.v1main.";

    private GeminiBatchJson() {
    }

    static String state(String status) {
        return switch (status) {
            case "validating" -> "BATCH_STATE_PENDING";
            case "in_progress", "finalizing", "cancelling" -> "BATCH_STATE_RUNNING";
            case "completed" -> "BATCH_STATE_SUCCEEDED";
            case "failed" -> "BATCH_STATE_FAILED";
            case "expired" -> "BATCH_STATE_EXPIRED";
            case "cancelled" -> "BATCH_STATE_CANCELLED";
            default -> "BATCH_STATE_UNSPECIFIED";
        };
    }

    /**
     * @param inline       the batch's inline requests, or null for a batch from a file
     * @param hideResults  whether a succeeded batch is shown without its results (fileLag)
     */
    static void write(JsonGenerator json, EmulatedBatch batch, EmulatedBatch.Snapshot snapshot,
                      GeminiInlineRequests inline, boolean hideResults) throws IOException {
        boolean embeddings = GeminiBatchFormat.EMBED.equals(batch.endpoint());
        String name = "batches/" + batch.id();
        String state = state(snapshot.status());
        boolean done = snapshot.endedAt() != null;
        boolean results = snapshot.outputFileId() != null && !hideResults;
        String responsesFile = results && inline == null ? "files/" + snapshot.outputFileId() : null;
        GeminiInlineRequests inlined = results && inline != null && inline.hasResults() ? inline : null;
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeObjectFieldStart("metadata");
        json.writeStringField("@type", TYPE_PREFIX + (embeddings ? "EmbedContentBatch" : "GenerateContentBatch"));
        json.writeStringField("model", snapshot.model());
        if (batch.displayName() != null) {
            json.writeStringField("displayName", batch.displayName());
        }
        if (batch.inputFileId() != null) { // inline requests are not echoed: they may be 20 MB
            json.writeObjectFieldStart("inputConfig");
            json.writeStringField("fileName", "files/" + batch.inputFileId());
            json.writeEndObject();
        }
        if (responsesFile != null || inlined != null) {
            json.writeObjectFieldStart("output");
            writeResults(json, responsesFile, inlined, embeddings);
            json.writeEndObject();
        }
        json.writeStringField("createTime", GoogleStatus.timestamp(snapshot.createdAt()));
        json.writeStringField("updateTime", GoogleStatus.timestamp(snapshot.updatedAt()));
        if (done) {
            json.writeStringField("endTime", GoogleStatus.timestamp(snapshot.endedAt()));
        }
        json.writeObjectFieldStart("batchStats");
        long pending = done ? 0 : snapshot.total() - snapshot.completed() - snapshot.failed();
        writeCount(json, "requestCount", snapshot.total());
        writeCount(json, "successfulRequestCount", snapshot.completed());
        writeCount(json, "failedRequestCount", snapshot.failed());
        writeCount(json, "pendingRequestCount", pending);
        json.writeEndObject();
        json.writeStringField("state", state);
        json.writeStringField("name", name);
        json.writeEndObject();
        if (done) {
            json.writeBooleanField("done", true);
        }
        if (responsesFile != null || inlined != null) {
            json.writeObjectFieldStart("response");
            json.writeStringField("@type", TYPE_PREFIX + (embeddings ? "EmbedContentBatchOutput"
                    : "GenerateContentBatchOutput"));
            writeResults(json, responsesFile, inlined, embeddings);
            json.writeEndObject();
        }
        if (snapshot.status().equals("failed")) {
            json.writeFieldName("error");
            writeFailure(json, snapshot.errors());
        }
        json.writeEndObject();
    }

    /**
     * {@code responsesFile}, or the inline results: {@code inlinedResponses.inlinedResponses[]} for content,
     * {@code inlinedEmbedContentResponses.inlinedResponses[]} for embeddings (the names the SDKs read).
     */
    private static void writeResults(JsonGenerator json, String responsesFile, GeminiInlineRequests inlined,
                                     boolean embeddings) throws IOException {
        if (responsesFile != null) {
            json.writeStringField("responsesFile", responsesFile);
        } else {
            json.writeFieldName(embeddings ? "inlinedEmbedContentResponses" : "inlinedResponses");
            inlined.writeResponses(json);
        }
    }

    /** A failed batch's {@code error}: the engine's error entries in one Status, lines named. */
    private static void writeFailure(JsonGenerator json, List<BatchErrorEntry> errors) throws IOException {
        boolean quota = errors != null && errors.stream().anyMatch(e -> e.code().equals("token_limit_exceeded"));
        boolean internal = errors != null && errors.stream().anyMatch(e -> e.code().equals("server_error"));
        int code = quota ? 429 : internal ? 500 : 400;
        StringBuilder message = new StringBuilder("[emulated] ");
        if (errors == null || errors.isEmpty()) {
            message.append("The batch failed.");
        }
        for (int i = 0; errors != null && i < errors.size() && i < 10; i++) {
            BatchErrorEntry error = errors.get(i);
            if (i > 0) {
                message.append("; ");
            }
            if (error.line() != null) {
                message.append("line ").append(error.line()).append(": ");
            }
            message.append(error.message());
        }
        if (errors != null && errors.size() > 10) {
            message.append("; and ").append(errors.size() - 10).append(" more");
        }
        GoogleStatus.write(json, code, message.toString());
    }

    private static void writeCount(JsonGenerator json, String field, long value) throws IOException {
        if (value != 0) {
            json.writeStringField(field, Long.toString(value));
        }
    }
}
