package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /batches}, checked the way the API checks it synchronously: shape, endpoint,
 * completion window, metadata and output expiry. (The input file's lines are checked later, while the
 * batch is {@code validating}.) Unknown fields are rejected, as OpenAI does.
 */
record CreateBatchRequest(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
                          Long outputExpiresAfterSeconds) {

    static final int MAX_METADATA_PAIRS = 16;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_VALUE = 512;

    static CreateBatchRequest parse(InputStream body) throws IOException {
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.invalidRequest("The request body must be a JSON object.", null);
            }
            String inputFileId = null;
            String endpoint = null;
            String window = null;
            Map<String, String> metadata = null;
            Long expiresAfter = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "input_file_id" -> inputFileId = string(parser, value, field);
                    case "endpoint" -> endpoint = string(parser, value, field);
                    case "completion_window" -> window = string(parser, value, field);
                    case "metadata" -> metadata = metadata(parser, value);
                    case "output_expires_after" -> expiresAfter = outputExpiresAfter(parser, value);
                    default -> throw ApiException.invalidRequest("Unrecognized request argument supplied: " + field,
                            field);
                }
            }
            return validated(inputFileId, endpoint, window, metadata, expiresAfter);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.invalidRequest("We could not parse the JSON body of your request.", null);
        }
    }

    private static CreateBatchRequest validated(String inputFileId, String endpoint, String window,
                                                Map<String, String> metadata, Long expiresAfter) {
        if (inputFileId == null || inputFileId.isEmpty()) {
            throw ApiException.invalidRequest("Missing required parameter: 'input_file_id'.", "input_file_id");
        }
        if (endpoint == null) {
            throw ApiException.invalidRequest("Missing required parameter: 'endpoint'.", "endpoint");
        }
        if (!Endpoints.ALLOWED.contains(Endpoints.normalise(endpoint))) {
            throw ApiException.invalidRequest("Invalid value for 'endpoint': '" + endpoint + "'. Supported values are: "
                    + String.join(", ", Endpoints.ALLOWED.stream().sorted().toList()) + ".", "endpoint");
        }
        if (!Endpoints.ANSWERED.contains(Endpoints.normalise(endpoint))) {
            throw ApiException.invalidRequest("[emulated] The emulator answers only " + Endpoints.CHAT + ", "
                    + Endpoints.RESPONSES + " and " + Endpoints.EMBEDDINGS + " batches, not '" + endpoint + "'.", "endpoint");
        }
        if (window == null) {
            throw ApiException.invalidRequest("Missing required parameter: 'completion_window'.", "completion_window");
        }
        if (!window.equals("24h")) {
            throw ApiException.invalidRequest("Invalid value for 'completion_window': '" + window
                    + "'. Supported values are: '24h'.", "completion_window");
        }
        return new CreateBatchRequest(inputFileId, endpoint, window, metadata, expiresAfter);
    }

    private static String string(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw ApiException.invalidRequest("Invalid type for '" + field + "': expected a string.", field);
        }
        return parser.getText();
    }

    private static Map<String, String> metadata(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw ApiException.invalidRequest("Invalid type for 'metadata': expected an object.", "metadata");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw ApiException.invalidRequest("Invalid type for 'metadata." + key + "': expected a string.",
                        "metadata");
            }
            String text = parser.getText();
            if (key.length() > MAX_METADATA_KEY) {
                throw ApiException.invalidRequest("Invalid 'metadata': keys may have at most " + MAX_METADATA_KEY
                        + " characters.", "metadata");
            }
            if (text.length() > MAX_METADATA_VALUE) {
                throw ApiException.invalidRequest("Invalid 'metadata': values may have at most " + MAX_METADATA_VALUE
                        + " characters.", "metadata");
            }
            metadata.put(key, text);
            if (metadata.size() > MAX_METADATA_PAIRS) {
                throw ApiException.invalidRequest("Invalid 'metadata': at most " + MAX_METADATA_PAIRS
                        + " key-value pairs are allowed.", "metadata");
            }
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Long outputExpiresAfter(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw ApiException.invalidRequest("Invalid type for 'output_expires_after': expected an object.",
                    "output_expires_after");
        }
        String anchor = null;
        Long seconds = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken item = parser.nextToken();
            if (field.equals("anchor") && item == JsonToken.VALUE_STRING) {
                anchor = parser.getText();
            } else if (field.equals("seconds") && item == JsonToken.VALUE_NUMBER_INT) {
                seconds = parser.getLongValue();
            } else {
                throw ApiException.invalidRequest("Invalid 'output_expires_after." + field + "'.",
                        "output_expires_after." + field);
            }
        }
        if (!"created_at".equals(anchor)) {
            throw ApiException.invalidRequest("Invalid value for 'output_expires_after.anchor': must be 'created_at'.",
                    "output_expires_after.anchor");
        }
        if (seconds == null || seconds < 3600 || seconds > 2_592_000) {
            throw ApiException.invalidRequest("Invalid value for 'output_expires_after.seconds': must be an integer "
                    + "from 3600 to 2592000.", "output_expires_after.seconds");
        }
        return seconds;
    }
}
