package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** Reads back what {@link RequestLineBuilder} wrote. */
public final class RequestLines {

    private static final JsonFactory JSON = new JsonFactory();

    private RequestLines() {
    }

    /** The custom_id of a request line (it is the first field, so this reads only the line's start). */
    public static String customIdOf(byte[] line, int offset, int length) {
        try (JsonParser p = JSON.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("request line is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("custom_id")) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException("request line has no custom_id");
        } catch (IOException e) {
            throw new IllegalArgumentException("request line is not valid JSON", e);
        }
    }
}
