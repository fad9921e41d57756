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
     * @param endpointName the job's endpoint as the pipeline passes it in {@code CreateBatch.endpoint()}:
     *                     the profile's default {@code endpointName}, {@code chat} or {@code embeddings}
     * @throws IllegalArgumentException for an endpoint Gemini has no batch method for
     */
    static GeminiBatchMethod forEndpoint(String endpointName) {
        Endpoint endpoint = Endpoint.named(endpointName).orElseThrow(() -> new IllegalArgumentException(
                "Gemini has no batch method for endpoint '" + endpointName + "'"));
        return switch (endpoint) {
            case CHAT_COMPLETIONS -> GENERATE_CONTENT;
            case EMBEDDINGS -> EMBED_CONTENT;
            case RESPONSES -> throw new IllegalArgumentException("Gemini has no batch method for endpoint '"
                    + endpointName + "'"); // named() never gives it: it is OpenAI's
        };
    }
}
