package io.github.llmbatch.provider;

import java.util.Optional;

/**
 * The tokens one result was billed for, in a shape every provider's usage maps to (the pipeline
 * turns it into the ledger's and the price table's terms; {@code provider} knows no prices).
 *
 * @param inputTokens       every input token, the cached ones included
 * @param cachedInputTokens the input tokens read from the provider's prompt cache (a part of {@code inputTokens})
 * @param outputTokens      every output token, reasoning ("thinking") tokens included
 */
public record TokenUsage(long inputTokens, long cachedInputTokens, long outputTokens) {

    public TokenUsage {
        if (!valid(inputTokens, cachedInputTokens, outputTokens)) {
            throw new IllegalArgumentException("token counts must be >= 0 and cached <= input: " + inputTokens
                    + ", " + cachedInputTokens + ", " + outputTokens);
        }
    }

    /** These counts, or empty when they cannot be a usage (negative, more cached than input): garbled. */
    public static Optional<TokenUsage> of(long inputTokens, long cachedInputTokens, long outputTokens) {
        return valid(inputTokens, cachedInputTokens, outputTokens)
                ? Optional.of(new TokenUsage(inputTokens, cachedInputTokens, outputTokens)) : Optional.empty();
    }

    private static boolean valid(long input, long cached, long output) {
        return input >= 0 && cached >= 0 && output >= 0 && cached <= input;
    }
}
