package io.github.llmbatch.provider.openai;

import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchLimits;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static io.github.llmbatch.provider.Outcome.PERMANENT;
import static io.github.llmbatch.provider.Outcome.RETRYABLE;
import static io.github.llmbatch.provider.Outcome.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiProfileTest {

    private final OpenAiProfile profile = new OpenAiProfile();

    private static ResultLine ran(int status, String code) {
        return new ResultLine("c", status / 100 == 2 ? ResultLine.Kind.SUCCEEDED : ResultLine.Kind.HTTP_ERROR,
                status, code, code == null ? null : "m", null, null);
    }

    private static ResultLine neverRan(String code) {
        return new ResultLine("c", ResultLine.Kind.NOT_EXECUTED, 0, code, "m", null, null);
    }

    @Test
    void defaults() {
        assertEquals("openai", profile.name());
        assertEquals("https://api.openai.com/v1", profile.defaultBaseUrl());
        assertEquals("OPENAI_API_KEY", profile.defaultApiKeyEnv());
        assertEquals(new BatchLimits(50_000, 200_000_000, 50_000), profile.limits());
        assertEquals(CustomIdPolicy.ANY, profile.customIds());
    }

    @Test
    void endpointsByNameOrByApiPathWithOrWithoutV1() {
        assertEquals(Endpoint.CHAT_COMPLETIONS, profile.endpoint("chat"));
        assertEquals(Endpoint.CHAT_COMPLETIONS, profile.endpoint("/v1/chat/completions"));
        assertEquals(Endpoint.CHAT_COMPLETIONS, profile.endpoint(" /chat/completions "));
        assertEquals(Endpoint.EMBEDDINGS, profile.endpoint("embeddings"));
        assertEquals(Endpoint.EMBEDDINGS, profile.endpoint("/v1/embeddings"));
        assertEquals(Endpoint.EMBEDDINGS, profile.endpoint("/embeddings"));
        assertEquals(Endpoint.RESPONSES, profile.endpoint("/v1/responses"));
        assertEquals(Endpoint.RESPONSES, profile.endpoint("responses"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> profile.endpoint("/v1/completions"));
        assertTrue(e.getMessage().contains("/v1/responses") && e.getMessage().contains("/v1/chat/completions")
                && e.getMessage().contains("/v1/embeddings") && e.getMessage().contains("chat, embeddings"),
                e.getMessage());
    }

    @Test
    void endpointsAreNamedByTheirPathAsBefore() {
        // the ledger and the fixed parameters of earlier runs hold these
        assertEquals("/v1/chat/completions", profile.endpointName(Endpoint.CHAT_COMPLETIONS));
        assertEquals("/v1/embeddings", profile.endpointName(Endpoint.EMBEDDINGS));
    }

    @Test
    void executedRequestsByStatus() {
        assertEquals(SUCCEEDED, profile.outcomeOf(ran(200, null), false));
        assertEquals(SUCCEEDED, profile.outcomeOf(ran(299, null), true));
        assertEquals(PERMANENT, profile.outcomeOf(ran(400, "invalid_request_error"), false));
        assertEquals(RETRYABLE, profile.outcomeOf(ran(408, null), false));
        assertEquals(RETRYABLE, profile.outcomeOf(ran(429, "rate_limit_exceeded"), false));
        assertEquals(RETRYABLE, profile.outcomeOf(ran(503, null), true));
    }

    @Test
    void requestsThatNeverRanAreRetriedUnlessWeCancelledThem() {
        assertEquals(RETRYABLE, profile.outcomeOf(neverRan(OpenAiProfile.BATCH_EXPIRED), false));
        assertEquals(RETRYABLE, profile.outcomeOf(neverRan(OpenAiProfile.REQUEST_TIMEOUT), true));
        assertEquals(RETRYABLE, profile.outcomeOf(neverRan(OpenAiProfile.BATCH_CANCELLED), false));
        assertEquals(PERMANENT, profile.outcomeOf(neverRan(OpenAiProfile.BATCH_CANCELLED), true));
        assertEquals(RETRYABLE, profile.outcomeOf(neverRan(null), false));
    }

    @Test
    void onlyTheEnqueuedTokenLimitIsWaitedOut() {
        assertTrue(profile.isTemporaryRefusal(List.of(new BatchError("invalid_request", "x", 3),
                new BatchError("token_limit_exceeded", "Enqueued token limit reached", null))));
        assertFalse(profile.isTemporaryRefusal(List.of(new BatchError("token_limit_exceededx", "x", null))));
        assertFalse(profile.isTemporaryRefusal(List.of()));
    }

    @Test
    void theEmbeddedEmulatorIsReachedBelowV1() {
        assertEquals("http://127.0.0.1:8089/v1", profile.embeddedBaseUrl(URI.create("http://127.0.0.1:8089/")));
    }

    @Test
    void requestLinesCarryTheirIdAsCustomId() {
        byte[] line = "{\"custom_id\":\"r-1\",\"method\":\"POST\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("r-1", profile.customIdOf(line, 0, line.length));
    }
}
