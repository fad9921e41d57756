package io.github.llmbatch.request;

/**
 * How every request of a job is built.
 *
 * @param maxTokens      null to leave it to the provider
 * @param temperature    null to leave it to the provider
 * @param responseSchema the schema answers must follow, or null for free text
 * @param options        members added to every request body as they are ({@link RequestOptions#NONE}: none)
 */
public record RequestSpec(Endpoint endpoint, String model, Template systemPrompt, Template userTemplate,
                          Integer maxTokens, Double temperature, ResponseSchema responseSchema,
                          RequestOptions options) {

    public RequestSpec {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (userTemplate == null) {
            throw new IllegalArgumentException("userTemplate is required");
        }
        if (options == null) {
            options = RequestOptions.NONE;
        }
        if (responseSchema != null && endpoint == Endpoint.EMBEDDINGS) {
            throw new IllegalArgumentException("responseSchema shapes answers; endpoint embeddings has none");
        }
    }

    /** A spec without a schema or options. */
    public RequestSpec(Endpoint endpoint, String model, Template systemPrompt, Template userTemplate,
                       Integer maxTokens, Double temperature) {
        this(endpoint, model, systemPrompt, userTemplate, maxTokens, temperature, null, RequestOptions.NONE);
    }

    /** Whether there is a system prompt to send: given, and not empty text. */
    public boolean hasSystemPrompt() {
        return systemPrompt != null && !(systemPrompt.isConstant() && systemPrompt.toString().isEmpty());
    }
}
