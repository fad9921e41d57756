package io.github.llmbatch.provider.gemini;

import io.github.llmbatch.request.Endpoint;

/** The model method a batch is created with, chosen by the job's endpoint. */
enum GeminiBatchMethod {
    GENERATE_CONTENT("batchGenerateContent"),
    EMBED_CONTENT("asyncBatchEmbedContent");

    private final String wireName;

    GeminiBatchMethod(String wireName) {
        this.wireName = wireName;
    }

    /** As it follows {@code models/<model>:} in the create URL. */
    String wireName() {
        return wireName;
    }

    /**
     * @param endpointPath the job's endpoint as the pipeline passes it in {@code CreateBatch.endpoint()}:
     *                     {@link Endpoint#path()} ({@code /v1/chat/completions}, {@code /v1/embeddings})
     * @throws IllegalArgumentException for an endpoint Gemini has no batch method for
     */
    static GeminiBatchMethod forEndpoint(String endpointPath) {
        return switch (Endpoint.fromPath(endpointPath)) {
            case CHAT_COMPLETIONS -> GENERATE_CONTENT;
            case EMBEDDINGS -> EMBED_CONTENT;
        };
    }
}
