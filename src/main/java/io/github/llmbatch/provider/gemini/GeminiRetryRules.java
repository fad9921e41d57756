package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.RetryRules;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The Google GenAI SDK's retry rules (§C.7): HTTP 408, 429, 500, 502, 503 and 504 are retried
 * (not 409, which Google uses for ABORTED and ALREADY_EXISTS, nor 501 UNIMPLEMENTED); a
 * {@code google.rpc.RetryInfo} in the error's {@code details} names the wait:
 * <pre>{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
 *   {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}</pre>
 */
final class GeminiRetryRules implements RetryRules {

    static final GeminiRetryRules INSTANCE = new GeminiRetryRules();

    private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
    private static final JsonFactory JSON = new JsonFactory();

    private GeminiRetryRules() {
    }

    @Override
    public boolean retryable(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    @Override
    public Optional<Duration> requestedDelay(byte[] errorBody) {
        if (errorBody == null || errorBody.length == 0) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(errorBody)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean error = "error".equals(parser.currentName());
                if (parser.nextToken() == JsonToken.START_OBJECT && error) {
                    return readError(parser);
                }
                parser.skipChildren();
            }
        } catch (IOException notJson) {
            // a proxy's page: no delay in it
        }
        return Optional.empty();
    }

    private static Optional<Duration> readError(JsonParser parser) throws IOException {
        Optional<Duration> delay = Optional.empty();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean details = "details".equals(parser.currentName());
            if (parser.nextToken() == JsonToken.START_ARRAY && details) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    Optional<Duration> found = readDetail(parser);
                    if (found.isPresent()) {
                        delay = found;
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return delay;
    }

    private static Optional<Duration> readDetail(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return Optional.empty();
        }
        String type = null;
        String retryDelay = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("@type".equals(name) && value == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else if ("retryDelay".equals(name) && value == JsonToken.VALUE_STRING) {
                retryDelay = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return RETRY_INFO.equals(type) ? ProtoJsonValues.duration(retryDelay) : Optional.empty();
    }
}
