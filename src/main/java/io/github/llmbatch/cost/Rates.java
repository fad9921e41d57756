package io.github.llmbatch.cost;

import java.math.BigDecimal;

/**
 * One price tier of a model, in USD per 1M tokens.
 *
 * @param input       price of an input token not served from the provider's cache
 * @param cachedInput price of an input token served from the cache; null where the provider has
 *                    no cached price (then cached tokens are charged as {@code input})
 * @param output      price of an output token; null for embeddings, which have none
 */
public record Rates(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {

    private static final int PER_MILLION = 6;

    public Rates {
        if (input == null) {
            throw new IllegalArgumentException("an input price is required");
        }
    }

    /** The exact cost of these tokens: never rounded, so sums of costs equal the cost of sums. */
    public BigDecimal costOf(Tokens tokens) {
        long uncached = tokens.input() - tokens.cachedInput();
        BigDecimal cached = cachedInput == null ? input : cachedInput;
        BigDecimal out = output == null ? BigDecimal.ZERO : output;
        return input.multiply(BigDecimal.valueOf(uncached))
                .add(cached.multiply(BigDecimal.valueOf(tokens.cachedInput())))
                .add(out.multiply(BigDecimal.valueOf(tokens.output())))
                .movePointLeft(PER_MILLION)
                .stripTrailingZeros();
    }
}
