package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's inline requests ({@code inputConfig.requests.requests[]}, each {@code {"request", "metadata"}},
 * BATCH-PROTOCOLS.md §C.2), written as an input file of {@code {"key", "request"}} lines so that they
 * run like a file's; and, once done, its results as {@code inlinedResponses}: {@code {"response" |
 * "error", "metadata"}} in request order (§C.6).
 *
 * <p>The line key is {@code metadata.key} when the request has one, else its 0-based position as text
 * (the emulator's choice: the API keys inline requests by position); fault-plan patterns match that key.
 * Two requests with the same {@code metadata.key} fail the batch, as in a file.
 */
final class GeminiInlineRequests {

    private final Path input;
    private final List<Map<String, String>> metadata;
    private final Map<String, Integer> positions;
    private volatile Path results;

    private GeminiInlineRequests(Path input, List<Map<String, String>> metadata) {
        this.input = input;
        this.metadata = metadata;
        this.positions = new HashMap<>();
        for (int i = 0; i < metadata.size(); i++) {
            positions.putIfAbsent(keyOf(i), i);
        }
    }

    /** The written input file. */
    Path input() {
        return input;
    }

    int size() {
        return metadata.size();
    }

    void resultsWritten(Path file) {
        results = file;
    }

    boolean hasResults() {
        return results != null;
    }

    private String keyOf(int position) {
        Map<String, String> entry = metadata.get(position);
        return entry != null && entry.get("key") != null ? entry.get("key") : Integer.toString(position);
    }

    /**
     * Reads the array (the parser is on its START_ARRAY) into {@code target}.
     *
     * @throws ApiException for a request that is not an object or metadata that is not a map of strings
     */
    static GeminiInlineRequests read(JsonParser parser, Path target) throws IOException {
        List<Map<String, String>> metadata = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(target);
             JsonGenerator json = EmulatorJson.FACTORY.createGenerator(out)) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw invalid("each of batch.input_config.requests.requests must be an object");
                }
                Map<String, String> entryMetadata = null;
                byte[] request = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("request") && value == JsonToken.START_OBJECT) {
                        request = EmulatorJson.render(generator -> generator.copyCurrentStructure(parser));
                    } else if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                        entryMetadata = readMetadata(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                int position = metadata.size();
                metadata.add(entryMetadata);
                json.writeStartObject();
                json.writeStringField("key", entryMetadata != null && entryMetadata.get("key") != null
                        ? entryMetadata.get("key") : Integer.toString(position));
                if (request != null) {
                    json.writeFieldName("request");
                    json.writeRawValue(new String(request, java.nio.charset.StandardCharsets.UTF_8));
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        }
        return new GeminiInlineRequests(target, Collections.unmodifiableList(metadata));
    }

    private static Map<String, String> readMetadata(JsonParser parser) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw invalid("metadata values must be strings");
            }
            metadata.put(key, parser.getText());
        }
        return metadata;
    }

    /**
     * Writes {@code {"inlinedResponses": [...]}} from the results file: one entry per result line, in the
     * file's order (input order: inline batches are never shuffled), with the request's metadata.
     */
    void writeResponses(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("inlinedResponses");
        try (JsonlLineReader lines = new JsonlLineReader(results)) {
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                try (JsonParser parser = EmulatorJson.FACTORY.createParser(lines.bytes(), 0, lines.length())) {
                    parser.nextToken();
                    json.writeStartObject();
                    String key = null;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        parser.nextToken();
                        if (field.equals("key")) {
                            key = parser.getText();
                        } else {
                            json.writeFieldName(field);
                            json.copyCurrentStructure(parser);
                        }
                    }
                    Integer position = key == null ? null : positions.get(key);
                    Map<String, String> entryMetadata = position == null ? null : metadata.get(position);
                    if (entryMetadata != null) {
                        json.writeObjectFieldStart("metadata");
                        for (Map.Entry<String, String> entry : entryMetadata.entrySet()) {
                            json.writeStringField(entry.getKey(), entry.getValue());
                        }
                        json.writeEndObject();
                    }
                    json.writeEndObject();
                }
            }
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static ApiException invalid(String message) {
        return ApiException.google(400, "[emulated] * batch.input_config.requests: " + message);
    }
}
