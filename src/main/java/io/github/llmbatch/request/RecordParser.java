package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads one input record (a JSON object on one line) in a single streaming pass, keeping only
 * the values the templates and the id need. Scalars keep their JSON text ({@code 4}, {@code true});
 * nested objects and arrays are kept as their JSON source.
 */
public final class RecordParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private final Set<String> wanted;
    private final Set<String> scalars;

    public RecordParser(Set<String> wantedFields) {
        this(wantedFields, Set.of());
    }

    /**
     * @param scalarFields wanted fields that must not hold an object or array (such as the id: a
     *                     string value that merely starts with a bracket is still a string)
     */
    public RecordParser(Set<String> wantedFields, Set<String> scalarFields) {
        this.wanted = Set.copyOf(wantedFields);
        this.scalars = Set.copyOf(scalarFields);
    }

    /**
     * @param fieldNames receives every top-level field name (for the merged CSV's columns)
     * @return the wanted fields present with a non-null value
     * @throws InvalidRecordException when the line is not one JSON object
     */
    public Map<String, String> parse(byte[] line, int offset, int length, Consumer<String> fieldNames) {
        try (JsonParser p = JSON.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("not a JSON object");
            }
            Map<String, String> values = new HashMap<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                fieldNames.accept(name);
                JsonToken v = p.nextToken();
                if (!wanted.contains(name)) {
                    p.skipChildren();
                } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    if (scalars.contains(name)) {
                        throw new InvalidRecordException("field '" + name + "' must be a string or a number");
                    }
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    values.put(name, new String(line, offset + start, end - start, StandardCharsets.UTF_8));
                } else if (v != JsonToken.VALUE_NULL) {
                    values.put(name, p.getText());
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new InvalidRecordException("not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new InvalidRecordException("unexpected content after the JSON object");
            }
            return values;
        } catch (InvalidRecordException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidRecordException("not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The input line is not a usable record. */
    public static final class InvalidRecordException extends RuntimeException {
        public InvalidRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
