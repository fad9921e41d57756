package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Anthropic's wire shapes (BATCH-PROTOCOLS.md §B): the error body {@code {"type":"error","error":{"type",
 * "message"},"request_id"}}, the {@code MessageBatch} object, result lines and RFC 3339 times.
 */
final class AnthropicJson {

    /** The error types of §B.5; an exception whose type is not one of them is typed by its status. */
    static final Set<String> ERROR_TYPES = Set.of("invalid_request_error", "authentication_error", "billing_error",
            "permission_error", "not_found_error", "conflict_error", "request_too_large", "rate_limit_error",
            "api_error", "timeout_error", "overloaded_error");

    /** Microseconds, as the API writes them (§B.0); the engine's clock has whole seconds. */
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AnthropicJson() {
    }

    /** The error type §B.5 pairs with an HTTP status. */
    static String typeOf(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static String timestamp(long unixSeconds) {
        return RFC_3339.format(Instant.ofEpochSecond(unixSeconds));
    }

    static void writeNullableTime(JsonGenerator json, String field, Long unixSeconds) throws IOException {
        EmulatorJson.writeNullableString(json, field, unixSeconds == null ? null : timestamp(unixSeconds));
    }

    /** An error answer's body (injected faults keep their status; OpenAI-style types are mapped by it). */
    static void writeError(JsonGenerator json, ApiException error, String requestId) throws IOException {
        String type = ERROR_TYPES.contains(error.type()) ? error.type() : typeOf(error.status());
        writeErrorResponse(json, type, error.getMessage(), requestId);
    }

    /** An {@code ErrorResponse}: the body of an error answer and the {@code error} of an errored result. */
    static void writeErrorResponse(JsonGenerator json, String type, String message, String requestId)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "error");
        json.writeObjectFieldStart("error");
        json.writeStringField("type", type);
        json.writeStringField("message", message);
        json.writeEndObject();
        json.writeStringField("request_id", requestId);
        json.writeEndObject();
    }

    /**
     * A {@code MessageBatch}. Every engine state before the end is {@code in_progress} (processing starts
     * at once, §B.1), a requested cancel {@code canceling}, every final state {@code ended}.
     *
     * @param outcome the batch's counts once ended, else null
     */
    static void writeBatch(JsonGenerator json, EmulatedBatch batch, EmulatedBatch.Snapshot snapshot,
                           AnthropicBatchFormat.Outcome outcome, long requests, String origin) throws IOException {
        boolean ended = outcome != null;
        json.writeStartObject();
        json.writeStringField("id", batch.id());
        json.writeStringField("type", "message_batch");
        json.writeStringField("processing_status", ended ? "ended"
                : snapshot.cancellingAt() != null ? "canceling" : "in_progress");
        json.writeObjectFieldStart("request_counts");
        // §B.2: the outcome counters stay 0 until the whole batch has ended
        json.writeNumberField("processing", ended ? 0 : requests);
        json.writeNumberField("succeeded", ended ? outcome.succeeded() : 0);
        json.writeNumberField("errored", ended ? outcome.errored() : 0);
        json.writeNumberField("canceled", ended ? outcome.canceled() : 0);
        json.writeNumberField("expired", ended ? outcome.expired() : 0);
        json.writeEndObject();
        writeNullableTime(json, "ended_at", ended ? snapshot.endedAt() : null);
        json.writeStringField("created_at", timestamp(snapshot.createdAt()));
        json.writeStringField("expires_at", timestamp(snapshot.createdAt() + EmulatedBatch.WINDOW_SECONDS));
        writeNullableTime(json, "cancel_initiated_at", snapshot.cancellingAt());
        json.writeNullField("archived_at"); // results are kept as long as the emulator runs
        EmulatorJson.writeNullableString(json, "results_url", ended
                ? origin + AnthropicApi.BATCHES + "/" + batch.id() + "/results" : null);
        json.writeEndObject();
    }

    /** {@code {"custom_id", "result": {"type": "succeeded", "message"} | {"type": "errored", "error"}}}. */
    static byte[] executedLine(String customId, Responder.Reply reply) {
        return EmulatorJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("custom_id", customId);
            json.writeObjectFieldStart("result");
            if (reply.status() == 200) {
                json.writeStringField("type", "succeeded");
                json.writeFieldName("message");
            } else {
                json.writeStringField("type", "errored");
                json.writeFieldName("error");
            }
            reply.body().write(json);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** {@code {"custom_id", "result": {"type": "canceled" | "expired"}}}. */
    static byte[] bareLine(String customId, String type) {
        return EmulatorJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("custom_id", customId);
            json.writeObjectFieldStart("result");
            json.writeStringField("type", type);
            json.writeEndObject();
            json.writeEndObject();
        });
    }
}
