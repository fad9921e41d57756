package io.github.llmbatch.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The code and message of an error response, read from whichever of the providers' shapes it has:
 * OpenAI {@code {"error":{"message","type","param","code"}}}, Anthropic
 * {@code {"type":"error","error":{"type","message"}}}, Gemini {@code {"error":{"code":400,"message","status"}}}.
 * The code is the string {@code code}, else {@code type}, else {@code status}. Bodies that are not
 * JSON (proxies answer with HTML) give their first line of text as the message.
 */
record ErrorBody(String code, String message) {

    private static final int MAX_TEXT = 300;

    static ErrorBody parse(byte[] body, JsonFactory json) {
        if (body == null || body.length == 0) {
            return new ErrorBody(null, null);
        }
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                ErrorBody found = readTop(parser);
                if (found != null) {
                    return found;
                }
            }
        } catch (IOException notJson) {
            // fall through to the text form
        }
        return new ErrorBody(null, textOf(body));
    }

    private static ErrorBody readTop(JsonParser parser) throws IOException {
        ErrorBody found = null;
        String topMessage = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("error".equals(name) && value == JsonToken.START_OBJECT) {
                found = readError(parser);
            } else if ("error".equals(name) && value == JsonToken.VALUE_STRING) {
                topMessage = parser.getText();
            } else if ("message".equals(name) && value == JsonToken.VALUE_STRING && topMessage == null) {
                topMessage = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        if (found == null && topMessage != null) {
            return new ErrorBody(null, topMessage);
        }
        return found;
    }

    private static ErrorBody readError(JsonParser parser) throws IOException {
        String code = null;
        String type = null;
        String status = null;
        String message = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                switch (name) {
                    case "code" -> code = parser.getText();
                    case "type" -> type = parser.getText();
                    case "status" -> status = parser.getText();
                    case "message" -> message = parser.getText();
                    default -> { }
                }
            } else {
                parser.skipChildren();
            }
        }
        return new ErrorBody(code != null ? code : type != null ? type : status, message);
    }

    private static String textOf(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, MAX_TEXT * 4), StandardCharsets.UTF_8).strip();
        text = text.replaceAll("\\s+", " ");
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
    }
}
