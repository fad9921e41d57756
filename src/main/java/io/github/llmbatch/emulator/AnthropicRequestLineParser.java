package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one request of a Message Batch, as {@link AnthropicCreateRequest} wrote it to the batch's input
 * file ({@code {"custom_id", "params"}}), into a {@link RequestLine}: {@code params.model}, the text of the
 * last {@code user} message, and the characters of every message and of {@code system} (the token
 * estimate's basis). {@code hasMaxTokens} means {@code max_tokens} is an integer of at least 1, as a batch
 * requires (§B.1); {@code hasBody} that {@code params} is an object. A tool forced by {@code tool_choice}
 * ({@code {"type":"tool","name"}}) makes its {@code input_schema} the answer's schema.
 */
final class AnthropicRequestLineParser {

    private AnthropicRequestLineParser() {
    }

    static RequestLine parse(byte[] bytes, int offset, int length) throws RequestLineParser.NotJsonObjectException {
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RequestLineParser.NotJsonObjectException(false);
            }
            Builder line = new Builder();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("custom_id") && value == JsonToken.VALUE_STRING) {
                    line.customId = parser.getText();
                } else if (field.equals("params") && value == JsonToken.START_OBJECT) {
                    line.hasParams = true;
                    readParams(parser, line);
                } else {
                    parser.skipChildren();
                }
            }
            AnswerSchema forced = line.forcedTool == null ? null : line.toolSchemas.get(line.forcedTool);
            return new RequestLine(line.customId, null, null, line.hasParams, line.model, line.hasMessages,
                    line.lastUserText, line.prompt, null, null, line.validMaxTokens, line.maxTokens, forced);
        } catch (IOException e) {
            throw new RequestLineParser.NotJsonObjectException(false);
        }
    }

    private static void readParams(JsonParser parser, Builder line) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "model" -> {
                    line.model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    parser.skipChildren();
                }
                case "max_tokens" -> {
                    line.validMaxTokens = value == JsonToken.VALUE_NUMBER_INT && parser.getLongValue() >= 1;
                    line.maxTokens = line.validMaxTokens ? (int) Math.min(Integer.MAX_VALUE, parser.getLongValue())
                            : null;
                }
                case "system" -> line.prompt.text(RequestLineParser.readContent(parser, value));
                case "messages" -> {
                    if (value == JsonToken.START_ARRAY) {
                        line.hasMessages = true;
                        readMessages(parser, line);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "tools" -> readTools(parser, value, line);
                case "tool_choice" -> line.forcedTool = forcedTool(parser, value);
                default -> parser.skipChildren();
            }
        }
    }

    /** Each tool's {@code input_schema} by its name. */
    private static void readTools(JsonParser parser, JsonToken value, Builder line) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String name = null;
            AnswerSchema schema = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken fieldValue = parser.nextToken();
                if (field.equals("name") && fieldValue == JsonToken.VALUE_STRING) {
                    name = parser.getText();
                } else if (field.equals("input_schema") && fieldValue == JsonToken.START_OBJECT) {
                    schema = AnswerSchema.read(null, parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (name != null && schema != null) {
                line.toolSchemas.put(name, schema.withName(name));
            }
        }
    }

    /** The tool {@code tool_choice} forces ({@code {"type":"tool","name"}}), or null. */
    private static String forcedTool(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String type = null;
        String name = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldValue = parser.nextToken();
            if (field.equals("type") && fieldValue == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else if (field.equals("name") && fieldValue == JsonToken.VALUE_STRING) {
                name = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return "tool".equals(type) ? name : null;
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
                if (field.equals("role") && value == JsonToken.VALUE_STRING) {
                    role = parser.getText();
                } else if (field.equals("content")) {
                    text = RequestLineParser.readContent(parser, value);
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

    private static final class Builder {
        String customId;
        boolean hasParams;
        String model;
        boolean hasMessages;
        boolean validMaxTokens;
        String lastUserText = "";
        final Prompt prompt = new Prompt();
        Integer maxTokens;
        final Map<String, AnswerSchema> toolSchemas = new HashMap<>();
        String forcedTool;
    }
}
