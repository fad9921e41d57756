package io.github.llmbatch.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.RemoteBatch;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A MessageBatch object (§B.2), the fields this client reads.
 *
 * @param processing the requests not yet ended; the four outcome counts stay 0 until the batch has ended
 * @param createdAt  null when missing or unreadable
 */
record AnthropicBatch(String id, String processingStatus, long processing, long succeeded, long errored,
                      long canceled, long expired, Instant createdAt, String cancelInitiatedAt, String resultsUrl) {

    /** All five counts always sum to the number of requests (§B.2). */
    long requests() {
        return processing + succeeded + errored + canceled + expired;
    }

    /**
     * As the pipeline sees it. {@code ended} is COMPLETED, or CANCELLED when a cancel was asked for
     * (its results are downloaded all the same); an ended batch that does not name its results yet is
     * FINALIZING, polled again, rather than taken for one without results (which would pay for every
     * request again).
     *
     * @throws IllegalArgumentException for a status §B.2 does not list
     */
    RemoteBatch remote() {
        BatchState state = switch (processingStatus == null ? "" : processingStatus) {
            case "in_progress" -> BatchState.IN_PROGRESS;
            case "canceling" -> BatchState.CANCELLING;
            case "ended" -> resultsUrl == null || resultsUrl.isBlank() ? BatchState.FINALIZING
                    : cancelInitiatedAt != null ? BatchState.CANCELLED : BatchState.COMPLETED;
            default -> throw new IllegalArgumentException("batch " + id + " has an unknown processing_status '"
                    + processingStatus + "'");
        };
        return new RemoteBatch(id, state, processingStatus, requests(), succeeded, errored + canceled + expired,
                resultsUrl, null, List.of(), null);
    }

    /** Reads the object the parser stands on (its START_OBJECT). */
    static AnthropicBatch read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("a message batch is not an object");
        }
        String id = null;
        String status = null;
        long[] counts = new long[5];
        Instant createdAt = null;
        String cancelInitiatedAt = null;
        String resultsUrl = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            boolean text = value == JsonToken.VALUE_STRING;
            switch (name) {
                case "id" -> id = text ? parser.getText() : skip(parser);
                case "processing_status" -> status = text ? parser.getText() : skip(parser);
                case "created_at" -> createdAt = text ? instant(parser.getText()) : null;
                case "cancel_initiated_at" -> cancelInitiatedAt = text ? parser.getText() : skip(parser);
                case "results_url" -> resultsUrl = text ? parser.getText() : skip(parser);
                case "request_counts" -> {
                    if (value == JsonToken.START_OBJECT) {
                        readCounts(parser, counts);
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (id == null || id.isEmpty()) {
            throw new IOException("a message batch without an id");
        }
        return new AnthropicBatch(id, status, counts[0], counts[1], counts[2], counts[3], counts[4], createdAt,
                cancelInitiatedAt, resultsUrl);
    }

    private static void readCounts(JsonParser parser, long[] counts) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            int slot = switch (name) {
                case "processing" -> 0;
                case "succeeded" -> 1;
                case "errored" -> 2;
                case "canceled" -> 3;
                case "expired" -> 4;
                default -> -1;
            };
            if (slot >= 0 && value == JsonToken.VALUE_NUMBER_INT) {
                counts[slot] = parser.getLongValue();
            } else {
                parser.skipChildren();
            }
        }
    }

    // RFC 3339 with an offset; "Z" in every example
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }
}
