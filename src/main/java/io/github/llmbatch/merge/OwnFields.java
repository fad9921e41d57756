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

    static final Set<String> RESERVED = Set.of("id", "status", "content", "parsed", "error", "usage", "attempts");

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

    /** End of a string (after its closing quote), number, boolean or null starting at {@code from}. */
    private static int scalarEnd(byte[] buf, int from, int limit) {
        int i = from;
        if (buf[i] == '"') {
            i++;
            while (i < limit && buf[i] != '"') {
                i += buf[i] == '\\' ? 2 : 1;
            }
            return i + 1;
        }
        while (i < limit && buf[i] != ',' && buf[i] != '}' && buf[i] != ']' && buf[i] != ' ' && buf[i] != '\t'
                && buf[i] != '\r' && buf[i] != '\n') {
            i++;
        }
        return i;
    }

    static void forEach(byte[] buf, int offset, int length, Visitor visitor) {
        try (JsonParser p = JSON.createParser(buf, offset, length)) {
            p.nextToken();
            // Jackson's offsets count from the object's '{'; find where that is in the array.
            int brace = offset;
            while (buf[brace] != '{') {
                brace++;
            }
            int origin = brace - (int) p.currentTokenLocation().getByteOffset();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = outputName(p.currentName());
                JsonToken kind = p.nextToken();
                int start = origin + (int) p.currentTokenLocation().getByteOffset();
                if (name == null) {
                    p.skipChildren();
                    continue;
                }
                int end;
                if (kind == JsonToken.START_OBJECT || kind == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    end = origin + (int) p.currentLocation().getByteOffset();
                } else {
                    // found by hand: asking the parser would make it decode the string
                    end = scalarEnd(buf, start, offset + length);
                }
                visitor.field(name, kind, p, buf, start, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("input record is not valid JSON any more", e);
        }
    }
}
