package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EndpointTest {

    @Test
    void jobParameterNamesAreTheSameForEveryProvider() {
        assertEquals(Optional.of(Endpoint.CHAT_COMPLETIONS), Endpoint.named("chat"));
        assertEquals(Optional.of(Endpoint.EMBEDDINGS), Endpoint.named(" Embeddings "));
        assertEquals(Optional.empty(), Endpoint.named("/v1/chat/completions"), "paths are a provider's own spelling");
        assertEquals("chat, embeddings", Endpoint.parameterValues());
    }

    @Test
    void onlyEmbeddingsCountTowardTheEmbeddingInputLimit() {
        assertEquals(0, Endpoint.CHAT_COMPLETIONS.embeddingInputs());
        assertEquals(1, Endpoint.EMBEDDINGS.embeddingInputs());
    }
}
