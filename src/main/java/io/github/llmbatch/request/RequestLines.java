package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** Reads the id back from request lines that carry it as a top-level string field. */
public final class RequestLines {

    private static final JsonFactory JSON = new JsonFactory();

    private RequestLines() {
    }

    /**
     * The value of the top-level string field {@code idField} ({@code custom_id}, {@code key}).
     * Writers put it first, so this reads only the line's start.
     *
     * @throws IllegalArgumentException when the line is not a JSON object or lacks the field
     */
    public static String idOf(byte[] line, int offset, int length, String idField) {
        try (JsonParser p = JSON.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("request line is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(idField) && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException("request line has no " + idField);
        } catch (IOException e) {
            throw new IllegalArgumentException("request line is not valid JSON", e);
        }
    }
}
