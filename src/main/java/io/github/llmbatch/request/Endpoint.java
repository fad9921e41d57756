package io.github.llmbatch.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The request kinds llm-batch builds, whatever the provider. Job parameter {@code endpoint} names
 * them {@code chat} and {@code embeddings}; a provider's profile may accept its own spellings too
 * (OpenAI's API paths) and says what it records and sends for each.
 */
public enum Endpoint {
    /** A system prompt and a user message in, the model's text out. */
    CHAT_COMPLETIONS("chat", true),
    /** The user template's text in, its vector out. */
    EMBEDDINGS("embeddings", true),
    /**
     * OpenAI's Responses API ({@code /v1/responses}): the system prompt as {@code instructions}, the user
     * template as {@code input}, the output text out. Only providers that have it accept it.
     */
    RESPONSES("responses", false);

    private final String parameterValue;
    private final boolean everyProvider;

    Endpoint(String parameterValue, boolean everyProvider) {
        this.parameterValue = parameterValue;
        this.everyProvider = everyProvider;
    }

    /** How job parameter {@code endpoint} names it. */
    public String parameterValue() {
        return parameterValue;
    }

    /** How many embedding inputs one request carries (providers limit them per batch). */
    public int embeddingInputs() {
        return this == EMBEDDINGS ? 1 : 0;
    }

    /** The endpoint every provider has that a job parameter value names, or empty when it names none. */
    public static Optional<Endpoint> named(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.everyProvider && e.parameterValue.equals(v)).findFirst();
    }

    /** For messages: {@code chat, embeddings}. */
    public static String parameterValues() {
        return Arrays.stream(values()).filter(e -> e.everyProvider).map(Endpoint::parameterValue)
                .collect(Collectors.joining(", "));
    }
}
