package io.github.llmbatch.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole-number fields of a result's usage object ({@link ResultLine#usageJson()}) by their dotted
 * path: {@code prompt_tokens}, {@code prompt_tokens_details.cached_tokens}. Profiles read their
 * provider's names from it. Counts written as strings (proto-JSON int64) are read as numbers; a field
 * holding anything else is left out, so a profile that requires it sees the usage as unreadable.
 */
public final class UsageCounts {

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Long> counts;

    private UsageCounts(Map<String, Long> counts) {
        this.counts = counts;
    }

    /** The counts of a usage object; empty when there is none or it is not a JSON object. */
    public static Optional<UsageCounts> parse(String usageJson) {
        if (usageJson == null || usageJson.isBlank()) {
            return Optional.empty();
        }
        Map<String, Long> counts = new HashMap<>();
        try (JsonParser parser = JSON.createParser(usageJson)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            readObject(parser, "", counts);
            if (parser.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new UsageCounts(counts));
    }

    private static void readObject(JsonParser parser, String prefix, Map<String, Long> counts) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                readObject(parser, path + '.', counts);
            } else if (value == JsonToken.VALUE_NUMBER_INT) {
                counts.put(path, parser.getValueAsLong());
            } else if (value == JsonToken.VALUE_STRING) {
                try {
                    counts.put(path, Long.parseLong(parser.getText().trim()));
                } catch (NumberFormatException notACount) {
                    // left out: a required count that is not one makes the usage unreadable
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    public boolean has(String path) {
        return counts.containsKey(path);
    }

    /** The count at this path; 0 when absent (providers leave out zero counts). */
    public long get(String path) {
        return counts.getOrDefault(path, 0L);
    }
}
