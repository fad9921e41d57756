package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Scalar reads that tolerate the variants seen in the wild: numbers sent as strings, null
 * counts, and Azure's ISO-8601 timestamps where openai.com sends Unix seconds.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** The current string value, or null for JSON null and non-string tokens (which are skipped). */
    static String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** The current whole number; null, missing and unparseable values count as 0. */
    static long count(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getValueAsLong();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(parser.getText().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        parser.skipChildren();
        return 0;
    }

    /** The current timestamp as Unix seconds: an integer, a numeric string or an ISO-8601 string; 0 when absent. */
    static long epochSeconds(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return count(parser);
        }
        String text = parser.getText().trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notSeconds) {
            try {
                return OffsetDateTime.parse(text).toEpochSecond();
            } catch (DateTimeParseException notOffset) {
                try {
                    // "2026-01-01T00:00:00" without a zone: read as UTC
                    return Instant.parse(text + "Z").getEpochSecond();
                } catch (DateTimeParseException unreadable) {
                    return 0;
                }
            }
        }
    }
}
