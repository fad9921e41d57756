package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of {@code POST /v1beta/models/{model}:batchGenerateContent} (or {@code :asyncBatchEmbedContent}),
 * BATCH-PROTOCOLS.md §C.2: {@code {"batch": {"displayName", "inputConfig": {"fileName"}}}}, field names in
 * lowerCamelCase or snake_case. Unknown fields are refused, as Google's JSON mapping does; {@code model},
 * {@code priority} and {@code webhookConfig} are accepted and ignored. Inline requests
 * ({@code inputConfig.requests}) are not emulated and answered 400, saying so.
 *
 * @param displayName  required (the reference marks it so)
 * @param fileId       the input file's id, without {@code files/}
 */
record GeminiCreateRequest(String displayName, String fileId) {

    static final int MAX_DISPLAY_NAME = 512;

    static GeminiCreateRequest parse(InputStream body) throws IOException {
        String displayName = null;
        String fileName = null;
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
                        case "inputConfig", "input_config" -> fileName = inputFileName(parser, batchValue);
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
        if (fileName == null || fileName.isEmpty()) {
            throw invalid("* batch.input_config: exactly one of file_name or requests must be set");
        }
        return new GeminiCreateRequest(displayName, fileName.startsWith("files/")
                ? fileName.substring("files/".length()) : fileName);
    }

    private static String inputFileName(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw invalid("Invalid JSON payload received. 'batch.input_config' must be an object.");
        }
        String fileName = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken item = parser.nextToken();
            switch (field) {
                case "fileName", "file_name" -> fileName = string(parser, item, "batch.input_config.file_name");
                case "requests" -> throw ApiException.google(400, "[emulated] The emulator takes batch input from a "
                        + "file only (inputConfig.fileName); inline requests are not emulated.");
                default -> throw unknownField(field, "batch.input_config");
            }
        }
        return fileName;
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
