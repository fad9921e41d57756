package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads one input line with the streaming parser, keeping only what {@link RequestLine} holds. */
final class RequestLineParser {

    /** The line is not one JSON value, or not a JSON object. */
    static final class NotJsonObjectException extends Exception {
        final boolean validJson;

        NotJsonObjectException(boolean validJson) {
            super(null, null, false, false);
            this.validJson = validJson;
        }
    }

    private RequestLineParser() {
    }

    static RequestLine parse(byte[] bytes, int offset, int length) throws NotJsonObjectException {
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    parser.skipChildren();
                    boolean single = parser.nextToken() == null;
                    throw new NotJsonObjectException(single);
                }
                throw new NotJsonObjectException(false);
            }
            Builder line = new Builder();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "custom_id" -> line.customId = textOrNull(parser, value);
                    case "method" -> line.method = textOrNull(parser, value);
                    case "url" -> line.url = textOrNull(parser, value);
                    case "body" -> {
                        if (value == JsonToken.START_OBJECT) {
                            line.hasBody = true;
                            readBody(parser, line);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new NotJsonObjectException(false);
            }
            return line.build();
        } catch (IOException e) {
            throw new NotJsonObjectException(false);
        }
    }

    private static void readBody(JsonParser parser, Builder line) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "model" -> line.model = textOrNull(parser, value);
                case "messages" -> {
                    if (value == JsonToken.START_ARRAY) {
                        line.hasMessages = true;
                        readMessages(parser, line);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "input" -> {
                    if (value == JsonToken.VALUE_STRING) { // the Responses API's input text
                        line.lastUserText = parser.getText();
                        line.prompt.text(line.lastUserText);
                    }
                    line.embeddingInputs = readEmbeddingInputs(parser, value);
                }
                case "instructions" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        line.prompt.text(parser.getText());
                    }
                    parser.skipChildren();
                }
                case "response_format" -> line.answerSchema = readFormat(parser, value, "json_schema");
                case "text" -> line.answerSchema = readFormat(parser, value, "format");
                case "max_tokens" -> {
                    line.hasMaxTokens = true;
                    line.maxOutputTokens = intOrNull(parser, value);
                }
                case "max_completion_tokens" -> line.maxOutputTokens = intOrNull(parser, value);
                case "dimensions" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        line.dimensions = parser.getIntValue();
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    /**
     * A {@code json_schema} format: chat's {@code response_format} ({@code {"type","json_schema":{"name",
     * "schema","strict"}}}) or, one level up, the Responses API's {@code text.format} ({@code {"type","name",
     * "schema","strict"}}); {@code holder} names the member that holds name and schema.
     */
    private static AnswerSchema readFormat(JsonParser parser, JsonToken value, String holder) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        AnswerSchema found = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken inner = parser.nextToken();
            if (field.equals(holder) && inner == JsonToken.START_OBJECT) {
                found = readNamedSchema(parser);
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    /** {@code {"name", "schema", …}} in any order; null when there is no schema. */
    private static AnswerSchema readNamedSchema(JsonParser parser) throws IOException {
        String name = null;
        AnswerSchema schema = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("name") && value == JsonToken.VALUE_STRING) {
                name = parser.getText();
            } else if (field.equals("schema") && value == JsonToken.START_OBJECT) {
                schema = AnswerSchema.read(null, parser);
            } else {
                parser.skipChildren();
            }
        }
        return schema == null ? null : schema.withName(name);
    }

    private static void readMessages(JsonParser parser, Builder line) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String role = null;
            String text = "";
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("role")) {
                    role = textOrNull(parser, value);
                } else if (field.equals("content")) {
                    text = readContent(parser, value);
                } else {
                    parser.skipChildren();
                }
            }
            line.prompt.message(role, text);
            if ("user".equals(role)) {
                line.lastUserText = text;
            }
        }
    }

    /**
     * A message's content: a string, or an array of parts whose {@code text} values are joined by a space
     * (also Anthropic's content blocks and {@code system}, which have the same shape).
     */
    static String readContent(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return "";
        }
        StringBuilder text = new StringBuilder();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken part = parser.nextToken();
                if (field.equals("text") && part == JsonToken.VALUE_STRING) {
                    if (text.length() > 0) {
                        text.append(' ');
                    }
                    text.append(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        }
        return text.toString();
    }

    /**
     * {@code input} as one text per embedding input: a string; an array of strings; an array of token
     * ids (one input, its text is the ids joined by commas); an array of token-id arrays.
     */
    private static List<String> readEmbeddingInputs(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return List.of(parser.getText());
        }
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        List<String> inputs = new ArrayList<>();
        StringBuilder tokens = null;
        boolean valid = true;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonToken item = parser.currentToken();
            if (item == JsonToken.VALUE_STRING) {
                inputs.add(parser.getText());
            } else if (item == JsonToken.VALUE_NUMBER_INT) {
                tokens = tokens == null ? new StringBuilder() : tokens.append(',');
                tokens.append(parser.getText());
            } else if (item == JsonToken.START_ARRAY) {
                StringBuilder ids = new StringBuilder();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                        valid = false;
                        parser.skipChildren();
                        continue;
                    }
                    if (ids.length() > 0) {
                        ids.append(',');
                    }
                    ids.append(parser.getText());
                }
                inputs.add(ids.toString());
            } else {
                valid = false;
                parser.skipChildren();
            }
        }
        if (tokens != null) {
            if (!inputs.isEmpty()) {
                return null;
            }
            inputs.add(tokens.toString());
        }
        return valid && !inputs.isEmpty() ? inputs : null;
    }

    static Integer intOrNull(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getIntValue();
        }
        parser.skipChildren();
        return null;
    }

    private static String textOrNull(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private static final class Builder {
        String customId;
        String method;
        String url;
        boolean hasBody;
        String model;
        boolean hasMessages;
        String lastUserText = "";
        final Prompt prompt = new Prompt();
        List<String> embeddingInputs;
        Integer dimensions;
        boolean hasMaxTokens;
        AnswerSchema answerSchema;
        Integer maxOutputTokens;

        RequestLine build() {
            return new RequestLine(customId, method, url, hasBody, model, hasMessages, lastUserText, prompt,
                    embeddingInputs, dimensions, hasMaxTokens, maxOutputTokens, answerSchema);
        }
    }
}
