package io.github.llmbatch.request;

/**
 * How every request of a job is built.
 *
 * @param maxTokens   null to leave it to the provider
 * @param temperature null to leave it to the provider
 */
public record RequestSpec(Endpoint endpoint, String model, Template systemPrompt, Template userTemplate,
                          Integer maxTokens, Double temperature) {

    public RequestSpec {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (userTemplate == null) {
            throw new IllegalArgumentException("userTemplate is required");
        }
    }

    /** Whether there is a system prompt to send: given, and not empty text. */
    public boolean hasSystemPrompt() {
        return systemPrompt != null && !(systemPrompt.isConstant() && systemPrompt.toString().isEmpty());
    }
}
