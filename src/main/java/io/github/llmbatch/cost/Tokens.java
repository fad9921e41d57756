package io.github.llmbatch.cost;

/**
 * Token counts in the provider-neutral shape the prices apply to.
 *
 * @param input       every input token, the cached ones included
 * @param cachedInput the input tokens served from the provider's prompt cache (a part of {@code input})
 * @param output      output tokens, reasoning tokens included
 */
public record Tokens(long input, long cachedInput, long output) {

    public static final Tokens NONE = new Tokens(0, 0, 0);

    public Tokens {
        if (input < 0 || cachedInput < 0 || output < 0 || cachedInput > input) {
            throw new IllegalArgumentException("token counts must be >= 0 and cached <= input: "
                    + input + ", " + cachedInput + ", " + output);
        }
    }

    public Tokens plus(Tokens other) {
        return new Tokens(input + other.input, cachedInput + other.cachedInput, output + other.output);
    }
}
