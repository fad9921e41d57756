package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Scalars as Google's proto-JSON mapping writes them (§C.0): int64 as strings ({@code "31"}),
 * timestamps as RFC 3339 with 0 to 9 fractional digits, durations as decimal seconds with an
 * {@code s} ({@code "30s"}, {@code "1.5s"}). Numbers sent as numbers are read too.
 */
final class ProtoJsonValues {

    private ProtoJsonValues() {
    }

    /**
     * The current field's name in lowerCamelCase: answers use it, and snake_case (which the docs
     * write requests in, §C.0) is read as the same field.
     */
    static String fieldName(JsonParser parser) throws IOException {
        return camel(parser.currentName());
    }

    /**
     * A snake_case name as lowerCamelCase ({@code file_name} to {@code fileName}); others unchanged. The
     * API takes both spellings (§C.0), so names are compared this way.
     */
    static String camel(String name) {
        if (name.indexOf('_') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The current string (or number's text); null for anything else, which is skipped. */
    static String text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** The current int64; missing, null and unparseable values count as 0 (zero counts are omitted on the wire). */
    static long int64(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
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

    /** The current RFC 3339 timestamp as Unix seconds; 0 when absent or unreadable. */
    static long epochSeconds(JsonParser parser) throws IOException {
        String text = text(parser);
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /** A proto-JSON duration ({@code "30s"}, {@code "0.5s"}); empty when it is not one. */
    static Optional<Duration> duration(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        if (!t.endsWith("s")) {
            return Optional.empty();
        }
        try {
            BigDecimal seconds = new BigDecimal(t.substring(0, t.length() - 1));
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000_000L)) > 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(seconds.movePointRight(9).longValue()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
