package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * A batch as the Gemini API returns it from create, get and list: a long-running-operation envelope
 * (§C.3) reduced to what the job needs.
 *
 * @param name          {@code batches/<id>}
 * @param state         {@code metadata.state} as sent ({@code BATCH_STATE_RUNNING}, or {@code JOB_STATE_*})
 * @param displayName   {@code metadata.displayName}: the idempotency key this client created it with
 * @param responsesFile {@code metadata.output.responsesFile}, else {@code response.responsesFile}; null when neither
 * @param error         the operation's {@code error} Status, null without one
 */
record GeminiBatch(String name, String state, String displayName, long requestCount, long successfulCount,
                   long failedCount, String responsesFile, BatchError error) {

    /** Reads the envelope the parser is on ({@code START_OBJECT}) up to its end. */
    static GeminiBatch read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a batch object but found " + parser.currentToken());
        }
        Reading r = new Reading();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> r.name = ProtoJsonValues.text(parser);
                case "metadata" -> readMetadata(parser, r);
                case "response" -> r.responseFile = value == JsonToken.START_OBJECT ? readOutput(parser) : skipped(parser);
                case "error" -> r.error = value == JsonToken.START_OBJECT ? readStatus(parser) : skipped(parser);
                default -> parser.skipChildren();
            }
        }
        String name = r.name != null && !r.name.isBlank() ? r.name : r.metadataName;
        if (name == null || name.isBlank()) {
            throw new IOException("batch object without a name");
        }
        String file = r.outputFile != null && !r.outputFile.isBlank() ? r.outputFile : r.responseFile;
        return new GeminiBatch(name, r.state, r.displayName, r.requestCount, r.successfulCount, r.failedCount,
                file == null || file.isBlank() ? null : file, r.error);
    }

    /**
     * {@code BATCH_STATE_*} as the REST API sends it, {@code JOB_STATE_*} as the SDKs and docs name it,
     * and {@code PARTIALLY_SUCCEEDED}, which one client saw (§C.4). Empty for anything else.
     * SUCCEEDED maps to {@link BatchState#COMPLETED} here; the provider holds it back while no
     * responses file is named.
     */
    static Optional<BatchState> mapState(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip().toUpperCase(Locale.ROOT);
        s = s.startsWith("BATCH_STATE_") ? s.substring("BATCH_STATE_".length())
                : s.startsWith("JOB_STATE_") ? s.substring("JOB_STATE_".length()) : s;
        return Optional.ofNullable(switch (s) {
            case "UNSPECIFIED", "PENDING" -> BatchState.VALIDATING;
            case "RUNNING" -> BatchState.IN_PROGRESS;
            case "SUCCEEDED", "PARTIALLY_SUCCEEDED" -> BatchState.COMPLETED;
            case "FAILED" -> BatchState.FAILED;
            case "CANCELLED" -> BatchState.CANCELLED;
            case "EXPIRED" -> BatchState.EXPIRED;
            default -> null;
        });
    }

    private static final class Reading {
        String name;
        String metadataName;
        String state;
        String displayName;
        long requestCount;
        long successfulCount;
        long failedCount;
        String outputFile;
        String responseFile;
        BatchError error;
    }

    private static void readMetadata(JsonParser parser, Reading r) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> r.metadataName = ProtoJsonValues.text(parser);
                case "state" -> r.state = ProtoJsonValues.text(parser);
                case "displayName" -> r.displayName = ProtoJsonValues.text(parser);
                case "batchStats" -> readStats(parser, r);
                case "output" -> r.outputFile = value == JsonToken.START_OBJECT ? readOutput(parser) : skipped(parser);
                default -> parser.skipChildren();
            }
        }
    }

    private static void readStats(JsonParser parser, Reading r) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            parser.nextToken();
            switch (field) {
                case "requestCount" -> r.requestCount = ProtoJsonValues.int64(parser);
                case "successfulRequestCount" -> r.successfulCount = ProtoJsonValues.int64(parser);
                case "failedRequestCount" -> r.failedCount = ProtoJsonValues.int64(parser);
                default -> parser.skipChildren();
            }
        }
    }

    /** {@code responsesFile} of an output object; inlined responses are not used by this client. */
    private static String readOutput(JsonParser parser) throws IOException {
        String file = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            parser.nextToken();
            if ("responsesFile".equals(field)) {
                file = ProtoJsonValues.text(parser);
            } else {
                parser.skipChildren();
            }
        }
        return file;
    }

    private static BatchError readStatus(JsonParser parser) throws IOException {
        String status = null;
        String code = null;
        String message = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            parser.nextToken();
            switch (field) {
                case "status" -> status = ProtoJsonValues.text(parser);
                case "code" -> code = ProtoJsonValues.text(parser);
                case "message" -> message = ProtoJsonValues.text(parser);
                default -> parser.skipChildren();
            }
        }
        Integer number = null;
        try {
            number = code == null ? null : Integer.valueOf(code.trim());
        } catch (NumberFormatException e) {
            // not a number: the name comes from status, else UNKNOWN
        }
        String name = RpcCode.statusName(status, number);
        return new BatchError(name, message, null);
    }

    /** Skips a value of an unexpected type and reads it as absent. */
    private static <T> T skipped(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }
}
