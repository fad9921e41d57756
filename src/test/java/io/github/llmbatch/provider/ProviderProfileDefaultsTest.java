package io.github.llmbatch.provider;

import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestSpec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a profile gets without overriding anything: what a new provider starts from. */
class ProviderProfileDefaultsTest {

    private final ProviderProfile plain = new ProviderProfile() {
        @Override
        public String name() {
            return "plain";
        }

        @Override
        public String defaultBaseUrl() {
            return null;
        }

        @Override
        public String defaultApiKeyEnv() {
            return "PLAIN_KEY";
        }

        @Override
        public BatchLimits limits() {
            return new BatchLimits(1, 2, 1);
        }

        @Override
        public CustomIdPolicy customIds() {
            return CustomIdPolicy.ANY;
        }

        @Override
        public RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String customIdOf(byte[] line, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResultDecoder resultDecoder(List<String> secrets) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String embeddedBaseUrl(URI emulator) {
            return emulator.toString();
        }

        @Override
        public BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop) {
            throw new UnsupportedOperationException();
        }
    };

    private static ResultLine line(ResultLine.Kind kind, int status, String code) {
        return new ResultLine("k", kind, status, code, null, null, null);
    }

    @Test
    void aProviderReadsNoUsageUntilItSaysHow() {
        ResultLine succeeded = new ResultLine("k", ResultLine.Kind.SUCCEEDED, 200, null, null, "\"a\"",
                "{\"prompt_tokens\":3,\"completion_tokens\":1}");
        assertEquals(java.util.Optional.empty(), plain.usageOf(succeeded));
    }

    @Test
    void chatAndEmbeddingsByTheirJobParameterNames() {
        assertEquals(Endpoint.CHAT_COMPLETIONS, plain.endpoint("chat"));
        assertEquals(Endpoint.EMBEDDINGS, plain.endpoint(" embeddings"));
        assertEquals("chat", plain.endpointName(Endpoint.CHAT_COMPLETIONS));
        assertEquals("embeddings", plain.endpointName(Endpoint.EMBEDDINGS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.endpoint("/v1/chat/completions"));
        assertEquals("unsupported endpoint '/v1/chat/completions'; use chat, embeddings", e.getMessage());
    }

    @Test
    void httpRuleForRequestsThatRanAndRetryForThoseThatDidNot() {
        assertEquals(Outcome.SUCCEEDED, plain.outcomeOf(line(ResultLine.Kind.SUCCEEDED, 200, null), false));
        assertEquals(Outcome.PERMANENT,
                plain.outcomeOf(line(ResultLine.Kind.HTTP_ERROR, 400, "INVALID_ARGUMENT"), false));
        assertEquals(Outcome.RETRYABLE,
                plain.outcomeOf(line(ResultLine.Kind.HTTP_ERROR, 429, "RESOURCE_EXHAUSTED"), false));
        assertEquals(Outcome.RETRYABLE, plain.outcomeOf(line(ResultLine.Kind.HTTP_ERROR, 503, "UNAVAILABLE"), true));
        assertEquals(Outcome.RETRYABLE, plain.outcomeOf(line(ResultLine.Kind.NOT_EXECUTED, 0, "expired"), false));
    }

    @Test
    void noRefusalIsWaitedOut() {
        assertFalse(plain.isTemporaryRefusal(List.of(new BatchError("token_limit_exceeded", "m", null))));
        assertFalse(plain.isTemporaryRefusal(List.of()));
    }
}
