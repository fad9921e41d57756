package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** Reads back what {@link GeminiRequestLineBuilder} wrote. */
public final class GeminiRequestLines {

    private static final JsonFactory JSON = new JsonFactory();

    private GeminiRequestLines() {
    }

    /** The key of a request line (the first field, so this usually reads only the line's start). */
    public static String keyOf(byte[] line, int offset, int length) {
        try (JsonParser p = JSON.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("request line is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("key") && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException("request line has no key");
        } catch (IOException e) {
            throw new IllegalArgumentException("request line is not valid JSON", e);
        }
    }
}
