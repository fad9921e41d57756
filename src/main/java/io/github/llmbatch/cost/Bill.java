package io.github.llmbatch.cost;

import java.math.BigDecimal;

/**
 * What the provider charges for the results it billed, from their usage, and what the same
 * tokens cost synchronously.
 *
 * @param requests  billed requests (each request once, whatever its attempts)
 * @param batchUsd  null when the model is not priced (never 0 for unknown)
 * @param syncUsd   null likewise
 * @param savingUsd {@code syncUsd - batchUsd}; null likewise
 */
public record Bill(long requests, long inputTokens, long cachedInputTokens, long outputTokens,
                   BigDecimal batchUsd, BigDecimal syncUsd, BigDecimal savingUsd) {

    /** @param price null when the model is not in the price table */
    public static Bill of(long requests, Tokens tokens, ModelPrice price) {
        if (price == null) {
            return new Bill(requests, tokens.input(), tokens.cachedInput(), tokens.output(), null, null, null);
        }
        BigDecimal batch = price.batchUsd(tokens);
        BigDecimal sync = price.syncUsd(tokens);
        return new Bill(requests, tokens.input(), tokens.cachedInput(), tokens.output(), batch, sync,
                sync.subtract(batch).stripTrailingZeros());
    }

    public Tokens tokens() {
        return new Tokens(inputTokens, cachedInputTokens, outputTokens);
    }
}
