package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;

/**
 * Reads one Gemini input line, {@code {"key": "...", "request": GenerateContentRequest}} or, for an
 * embeddings batch, {@code {"key", "request": EmbedContentRequest}} (BATCH-PROTOCOLS.md §C.2), into a
 * {@link RequestLine}: the key as its custom id, the batch's model, the text of the last {@code user}
 * content (a content without role counts as the user's, as the API defaults it) and, for embeddings,
 * {@code content}'s text and {@code outputDimensionality}. Field names are accepted in lowerCamelCase
 * and snake_case, like the API does.
 */
final class GeminiRequestLineParser {

    private GeminiRequestLineParser() {
    }

    static RequestLine parse(byte[] bytes, int offset, int length, String model)
            throws RequestLineParser.NotJsonObjectException {
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    parser.skipChildren();
                    throw new RequestLineParser.NotJsonObjectException(parser.nextToken() == null);
                }
                throw new RequestLineParser.NotJsonObjectException(false);
            }
            Builder line = new Builder();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("key") && value == JsonToken.VALUE_STRING) {
                    line.key = parser.getText();
                } else if (field.equals("request") && value == JsonToken.START_OBJECT) {
                    line.hasRequest = true;
                    readRequest(parser, line);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new RequestLineParser.NotJsonObjectException(false);
            }
            return new RequestLine(line.key, null, null, line.hasRequest, model, line.hasContents, line.lastUserText,
                    line.prompt, line.embedText == null ? null : List.of(line.embedText), line.dimensions,
                    false, line.maxOutputTokens, line.answerSchema);
        } catch (IOException e) {
            throw new RequestLineParser.NotJsonObjectException(false);
        }
    }

    private static void readRequest(JsonParser parser, Builder line) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "contents" -> {
                    if (value == JsonToken.START_ARRAY) {
                        line.hasContents = true;
                        readContents(parser, line);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "systemInstruction", "system_instruction" -> {
                    if (value == JsonToken.START_OBJECT) {
                        line.add(readContent(parser));
                    } else {
                        parser.skipChildren();
                    }
                }
                case "content" -> {
                    if (value == JsonToken.START_OBJECT) {
                        line.embedText = readContent(parser).text;
                    } else {
                        parser.skipChildren();
                    }
                }
                case "generationConfig", "generation_config" -> readGenerationConfig(parser, value, line);
                case "outputDimensionality", "output_dimensionality" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        line.dimensions = parser.getIntValue();
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    /** {@code generationConfig}: its {@code responseJsonSchema} and {@code maxOutputTokens}. */
    private static void readGenerationConfig(JsonParser parser, JsonToken value, Builder line) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldValue = parser.nextToken();
            if ((field.equals("responseJsonSchema") || field.equals("response_json_schema"))
                    && fieldValue == JsonToken.START_OBJECT) {
                line.answerSchema = AnswerSchema.read(null, parser);
            } else if (field.equals("maxOutputTokens") || field.equals("max_output_tokens")) {
                line.maxOutputTokens = RequestLineParser.intOrNull(parser, fieldValue);
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void readContents(JsonParser parser, Builder line) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            Content content = readContent(parser);
            line.add(content);
            if (content.role == null || content.role.equals("user")) {
                line.lastUserText = content.text;
            }
        }
    }

    private record Content(String role, String text) {
    }

    /** A {@code Content} object (the parser is on its START_OBJECT): its role and its parts' texts joined by a space. */
    private static Content readContent(JsonParser parser) throws IOException {
        String role = null;
        StringBuilder text = new StringBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("role") && value == JsonToken.VALUE_STRING) {
                role = parser.getText();
            } else if (field.equals("parts") && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() != JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        continue;
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String partField = parser.currentName();
                        if (parser.nextToken() == JsonToken.VALUE_STRING && partField.equals("text")) {
                            if (text.length() > 0) {
                                text.append(' ');
                            }
                            text.append(parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return new Content(role, text.toString());
    }

    private static final class Builder {
        String key;
        boolean hasRequest;
        boolean hasContents;
        String lastUserText = "";
        final Prompt prompt = new Prompt();
        String embedText;
        Integer dimensions;
        AnswerSchema answerSchema;
        Integer maxOutputTokens;

        /** A content with a role is a message; one without counts as text, as the estimate reads it. */
        void add(Content content) {
            if (content.role == null) {
                prompt.text(content.text);
            } else {
                prompt.message(content.role, content.text);
            }
        }
    }
}
