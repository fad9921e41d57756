package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointTest {

    @Test
    void endpointAcceptsPathsWithOrWithoutV1() {
        assertEquals(Endpoint.CHAT_COMPLETIONS, Endpoint.fromPath("/v1/chat/completions"));
        assertEquals(Endpoint.CHAT_COMPLETIONS, Endpoint.fromPath(" /chat/completions "));
        assertEquals(Endpoint.EMBEDDINGS, Endpoint.fromPath("/v1/embeddings"));
        assertEquals(Endpoint.EMBEDDINGS, Endpoint.fromPath("/embeddings"));
        assertEquals("/v1/embeddings", Endpoint.EMBEDDINGS.path());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.fromPath("/v1/responses"));
        assertTrue(e.getMessage().contains("/v1/responses") && e.getMessage().contains("/v1/chat/completions")
                && e.getMessage().contains("/v1/embeddings"), e.getMessage());
    }
}
