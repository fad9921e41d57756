package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/messages/batches} (BATCH-PROTOCOLS.md §B.1), {@code {"requests":[{"custom_id",
 * "params"}]}}, streamed into an input file of {@code {"custom_id","params"}} lines; memory holds only the
 * custom_ids (for the duplicate check).
 *
 * <p>Refused with 400 {@code invalid_request_error} (§B.1; the messages are the emulator's, §E.7): a body
 * that is not such an object, no requests, more than the limit, a custom_id that does not match
 * {@code ^[a-zA-Z0-9_-]{1,64}$} or is used twice, {@code params} that is not an object, and any field other
 * than these (the API forbids extra inputs). A body larger than the limit is refused with 413
 * {@code request_too_large}. What is inside {@code params} is checked when the request runs (an errored
 * result), as §B.1 says of parameter problems.
 *
 * @param customIds the requests' custom_ids, in order
 */
record AnthropicCreateRequest(List<String> customIds, Path input) {

    static final Pattern CUSTOM_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** @param input where the requests are written; deleted when the body is refused */
    static AnthropicCreateRequest parse(InputStream body, Path input, int maxRequests, long maxBytes)
            throws IOException {
        try {
            return new AnthropicCreateRequest(write(new Limited(body, maxBytes), input, maxRequests), input);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(input);
            throw e;
        }
    }

    private static List<String> write(InputStream body, Path input, int maxRequests) throws IOException {
        List<String> customIds = null;
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(body);
             OutputStream out = Files.newOutputStream(input);
             JsonGenerator json = EmulatorJson.FACTORY.createGenerator(out)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("The request body must be a JSON object.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("requests")) {
                    throw invalid(field + ": Extra inputs are not permitted");
                }
                if (value != JsonToken.START_ARRAY) {
                    throw invalid("requests: Input should be a valid list");
                }
                customIds = requests(parser, json, maxRequests);
            }
        } catch (JsonProcessingException e) {
            throw invalid("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (customIds == null) {
            throw invalid("requests: Field required");
        }
        if (customIds.isEmpty()) {
            throw invalid("requests: List should have at least 1 item after validation, not 0");
        }
        return customIds;
    }

    private static List<String> requests(JsonParser parser, JsonGenerator json, int maxRequests) throws IOException {
        List<String> customIds = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int index = customIds.size();
            if (index == maxRequests) {
                throw invalid("requests: List should have at most " + maxRequests + " items after validation");
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw invalid("requests." + index + ": Input should be a valid dictionary");
            }
            String customId = null;
            boolean params = false;
            json.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("custom_id")) {
                    if (value != JsonToken.VALUE_STRING || !CUSTOM_ID.matcher(parser.getText()).matches()) {
                        throw invalid("requests." + index + ".custom_id: String should match pattern"
                                + " '^[a-zA-Z0-9_-]{1,64}$'");
                    }
                    customId = parser.getText();
                    json.writeStringField("custom_id", customId);
                } else if (field.equals("params")) {
                    if (value != JsonToken.START_OBJECT) {
                        throw invalid("requests." + index + ".params: Input should be a valid dictionary");
                    }
                    params = true;
                    json.writeFieldName("params");
                    json.copyCurrentStructure(parser);
                } else {
                    throw invalid("requests." + index + "." + field + ": Extra inputs are not permitted");
                }
            }
            json.writeEndObject();
            json.writeRaw('\n');
            if (customId == null) {
                throw invalid("requests." + index + ".custom_id: Field required");
            }
            if (!params) {
                throw invalid("requests." + index + ".params: Field required");
            }
            if (!seen.add(customId)) {
                throw invalid("requests: custom_id '" + customId + "' is used by more than one request; each"
                        + " custom_id must be unique within the batch");
            }
            customIds.add(customId);
        }
        return customIds;
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request_error", "[emulated] " + message, null, null);
    }

    /** Refuses a body past the size limit as soon as it gets there. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new ApiException(413, "request_too_large", "[emulated] Request exceeds the maximum allowed"
                        + " size of " + max + " bytes.", null, null);
            }
        }
    }
}
