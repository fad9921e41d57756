package io.github.llmbatch.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Hands out values of a JSON text exactly as written (escapes, number forms), as slices of the bytes
 * being parsed: result decoders pass answers, vectors and usage objects on without converting them.
 * One per parsed line.
 */
public final class RawJsonReader {

    private final byte[] line;
    private final JsonParser parser;
    // input index of the parser's byte offset 0
    private final int origin;

    /**
     * @param parser a parser over {@code line[offset, offset + length)}, standing on the first token
     */
    public RawJsonReader(byte[] line, int offset, int length, JsonParser parser) {
        this.line = line;
        this.parser = parser;
        // Token locations count from the start of the parsed range in some Jackson versions and from
        // the array start in others; the first token's first byte is at a known index, so derive the
        // origin from it.
        int first = offset;
        int end = offset + length;
        while (first < end && isWhitespace(line[first])) {
            first++;
        }
        this.origin = first - (int) parser.currentTokenLocation().getByteOffset();
    }

    /** The current value exactly as written; the parser ends on its last token. */
    public String current() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                || token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE || token == JsonToken.VALUE_NULL) {
            return parser.getText();
        }
        int start = (int) parser.currentTokenLocation().getByteOffset();
        if (token == JsonToken.VALUE_STRING) {
            // strings are read lazily; finish it so the location is past the closing quote
            parser.finishToken();
        } else {
            parser.skipChildren();
        }
        int end = (int) parser.currentLocation().getByteOffset();
        return new String(line, origin + start, end - start, StandardCharsets.UTF_8);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
