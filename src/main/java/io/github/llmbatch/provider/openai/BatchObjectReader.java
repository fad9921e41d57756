package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads an OpenAI (or Azure OpenAI) batch object. */
final class BatchObjectReader {

    private BatchObjectReader() {
    }

    /** Reads the object the parser is on ({@code START_OBJECT}) up to its end. */
    static RemoteBatch read(JsonParser parser) throws IOException {
        FileObjectReader.expectObject(parser, "batch");
        String id = null;
        String status = null;
        long[] counts = new long[3];
        String outputFileId = null;
        String errorFileId = null;
        List<BatchError> errors = List.of();
        String key = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "id" -> id = JsonValues.text(parser);
                case "status" -> status = JsonValues.text(parser);
                case "request_counts" -> readCounts(parser, counts);
                case "output_file_id" -> outputFileId = JsonValues.text(parser);
                case "error_file_id" -> errorFileId = JsonValues.text(parser);
                case "errors" -> errors = readErrors(parser);
                case "metadata" -> key = readIdempotencyKey(parser);
                default -> parser.skipChildren();
            }
        }
        if (id == null || id.isBlank()) {
            throw new IOException("batch object without an id");
        }
        if (status == null) {
            throw new ProviderException(200, "unknown_batch_status", "batch " + id + " has no status");
        }
        Optional<BatchState> state = state(status);
        if (state.isEmpty()) {
            throw new ProviderException(200, "unknown_batch_status", "batch " + id + " has an unknown status '" + status + "'");
        }
        return new RemoteBatch(id, state.get(), status, counts[0], counts[1], counts[2], outputFileId, errorFileId,
                errors, key);
    }

    /**
     * Maps a status case-insensitively and ignoring separators, so Azure's {@code Completed} or
     * {@code InProgress} read like {@code completed} and {@code in_progress}.
     */
    static Optional<BatchState> state(String status) {
        String normal = status.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
        return Optional.ofNullable(switch (normal) {
            case "validating" -> BatchState.VALIDATING;
            case "inprogress" -> BatchState.IN_PROGRESS;
            case "finalizing", "finalising" -> BatchState.FINALIZING;
            case "cancelling", "canceling" -> BatchState.CANCELLING;
            case "completed" -> BatchState.COMPLETED;
            case "failed" -> BatchState.FAILED;
            case "expired" -> BatchState.EXPIRED;
            case "cancelled", "canceled" -> BatchState.CANCELLED;
            default -> null;
        });
    }

    private static void readCounts(JsonParser parser, long[] counts) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "total" -> counts[0] = JsonValues.count(parser);
                case "completed" -> counts[1] = JsonValues.count(parser);
                case "failed" -> counts[2] = JsonValues.count(parser);
                default -> parser.skipChildren();
            }
        }
    }

    // {"object":"list","data":[…]} per the spec; a bare array is accepted too.
    private static List<BatchError> readErrors(JsonParser parser) throws IOException {
        List<BatchError> errors = new ArrayList<>();
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            readErrorArray(parser, errors);
        } else if (parser.currentToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && "data".equals(name)) {
                    readErrorArray(parser, errors);
                } else {
                    parser.skipChildren();
                }
            }
        } else {
            parser.skipChildren();
        }
        return errors;
    }

    private static void readErrorArray(JsonParser parser, List<BatchError> errors) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String code = null;
            String message = null;
            Integer line = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "code" -> code = JsonValues.text(parser);
                    case "message" -> message = JsonValues.text(parser);
                    case "line" -> {
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            line = parser.getIntValue();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            errors.add(new BatchError(code, message, line));
        }
    }

    private static String readIdempotencyKey(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String key = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (OpenAiProvider.IDEMPOTENCY_METADATA_KEY.equals(name)) {
                key = JsonValues.text(parser);
            } else {
                parser.skipChildren();
            }
        }
        return key;
    }
}
