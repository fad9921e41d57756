package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The body of {@code POST /v1beta/models/{model}:batchGenerateContent} (or {@code :asyncBatchEmbedContent}),
 * BATCH-PROTOCOLS.md §C.2: {@code {"batch": {"displayName", "inputConfig": {"fileName"}}}}, field names in
 * lowerCamelCase or snake_case; or with {@code "inputConfig": {"requests": {"requests": [...]}}} inline
 * (see {@link GeminiInlineRequests}). Unknown fields are refused, as Google's JSON mapping does;
 * {@code model}, {@code priority} and {@code webhookConfig} are accepted and ignored.
 *
 * @param displayName  required (the reference marks it so)
 * @param fileId       the input file's id, without {@code files/}; null for inline requests
 * @param inline       the inline requests, or null
 */
record GeminiCreateRequest(String displayName, String fileId, GeminiInlineRequests inline) {

    static final int MAX_DISPLAY_NAME = 512;

    /** @param inlineInput where inline requests are written, if the body has them; deleted when it has not */
    static GeminiCreateRequest parse(InputStream body, Path inlineInput) throws IOException {
        try {
            GeminiCreateRequest request = parseBody(body, inlineInput);
            if (request.inline() == null) {
                Files.deleteIfExists(inlineInput);
            }
            return request;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(inlineInput);
            throw e;
        }
    }

    private static GeminiCreateRequest parseBody(InputStream body, Path inlineInput) throws IOException {
        String displayName = null;
        Input input = null;
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("Invalid JSON payload received. The body must be a JSON object.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("batch")) {
                    throw unknownField(field, "");
                }
                if (value != JsonToken.START_OBJECT) {
                    throw invalid("Invalid JSON payload received. 'batch' must be an object.");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String batchField = parser.currentName();
                    JsonToken batchValue = parser.nextToken();
                    switch (batchField) {
                        case "displayName", "display_name" -> displayName = string(parser, batchValue, "batch.display_name");
                        case "inputConfig", "input_config" -> input = input(parser, batchValue, inlineInput);
                        case "model", "priority", "webhookConfig", "webhook_config" -> parser.skipChildren();
                        default -> throw unknownField(batchField, "batch");
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("Invalid JSON payload received.");
        }
        if (displayName == null || displayName.isEmpty()) {
            throw invalid("* batch.display_name: display_name is required");
        }
        if (displayName.length() > MAX_DISPLAY_NAME) {
            throw invalid("* batch.display_name: display_name may have at most " + MAX_DISPLAY_NAME + " characters");
        }
        if (input == null || (input.fileName == null) == (input.inline == null)
                || input.fileName != null && input.fileName.isEmpty()) {
            throw invalid("* batch.input_config: exactly one of file_name or requests must be set");
        }
        if (input.inline != null) {
            if (input.inline.size() == 0) {
                throw invalid("* batch.input_config.requests.requests: at least one request is required");
            }
            return new GeminiCreateRequest(displayName, null, input.inline);
        }
        return new GeminiCreateRequest(displayName, input.fileName.startsWith("files/")
                ? input.fileName.substring("files/".length()) : input.fileName, null);
    }

    private static final class Input {
        String fileName;
        GeminiInlineRequests inline;
    }

    private static Input input(JsonParser parser, JsonToken value, Path inlineInput) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw invalid("Invalid JSON payload received. 'batch.input_config' must be an object.");
        }
        Input input = new Input();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken item = parser.nextToken();
            switch (field) {
                case "fileName", "file_name" -> input.fileName = string(parser, item, "batch.input_config.file_name");
                case "requests" -> input.inline = inlineRequests(parser, item, inlineInput);
                default -> throw unknownField(field, "batch.input_config");
            }
        }
        return input;
    }

    /** {@code "requests": {"requests": [...]}}. */
    private static GeminiInlineRequests inlineRequests(JsonParser parser, JsonToken value, Path target)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw invalid("Invalid JSON payload received. 'batch.input_config.requests' must be an object.");
        }
        GeminiInlineRequests inline = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken item = parser.nextToken();
            if (!field.equals("requests")) {
                throw unknownField(field, "batch.input_config.requests");
            }
            if (item != JsonToken.START_ARRAY) {
                throw invalid("Invalid JSON payload received. 'batch.input_config.requests.requests' must be an"
                        + " array.");
            }
            inline = GeminiInlineRequests.read(parser, target);
        }
        return inline;
    }

    private static String string(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw invalid("Invalid value at '" + field + "': expected a string.");
        }
        return parser.getText();
    }

    private static ApiException unknownField(String field, String at) {
        return invalid("Invalid JSON payload received. Unknown name \"" + field + "\"" + (at.isEmpty() ? ""
                : " at '" + at + "'") + ": Cannot find field.");
    }

    private static ApiException invalid(String message) {
        return ApiException.google(400, "[emulated] " + message);
    }
}
