package io.github.llmbatch.merge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The input record's own fields as they go into the output. A field whose name the output
 * uses itself ({@code status}, {@code content}, …) is renamed {@code input_<name>}; the id field
 * is dropped when it is called {@code id}, since the output's {@code id} is that same value.
 */
final class OwnFields {

    static final Set<String> RESERVED = Set.of("id", "status", "content", "error", "usage", "attempts");

    private static final JsonFactory JSON = new JsonFactory();

    private OwnFields() {
    }

    /** Output name of an input field, or null when it is left out. */
    static String outputName(String field) {
        if (field.equals("id")) {
            return null;
        }
        return RESERVED.contains(field) ? "input_" + field : field;
    }

    /** Receives each kept field with its value's JSON text as a byte range. */
    interface Visitor {
        void field(String outputName, JsonToken kind, JsonParser parser, byte[] buf, int start, int end)
                throws IOException;
    }

    static void forEach(byte[] buf, int offset, int length, Visitor visitor) {
        try (JsonParser p = JSON.createParser(buf, offset, length)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = outputName(p.currentName());
                JsonToken kind = p.nextToken();
                int start = offset + (int) p.currentTokenLocation().getByteOffset();
                if (name == null) {
                    p.skipChildren();
                    continue;
                }
                if (kind == JsonToken.START_OBJECT || kind == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else {
                    p.finishToken(); // strings are read lazily; the end offset needs the whole token
                }
                int end = offset + (int) p.currentLocation().getByteOffset();
                visitor.field(name, kind, p, buf, start, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("input record is not valid JSON any more", e);
        }
    }
}
