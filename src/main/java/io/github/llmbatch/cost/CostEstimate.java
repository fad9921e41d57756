package io.github.llmbatch.cost;

import java.math.BigDecimal;

/**
 * The cost of a job before it is submitted: its input tokens as counted in prepare and the worst
 * case of its output ({@code maxTokens} for every request).
 *
 * @param inputTokensExact true when counted with the model's own tokenizer, false when approximated
 * @param maxOutputTokens  null when the output is unbounded (no {@code maxTokens})
 * @param batchUsd         the worst case at batch prices; null when the model is not priced or the
 *                         output is unbounded
 * @param syncUsd          the same tokens at synchronous prices; null likewise
 */
public record CostEstimate(long requests, long inputTokens, boolean inputTokensExact, Long maxOutputTokens,
                           BigDecimal batchUsd, BigDecimal syncUsd) {

    /** @param price null when the model is not in the price table */
    public static CostEstimate of(long requests, long inputTokens, boolean exact, Long maxOutputTokens,
                                  ModelPrice price) {
        if (price == null || maxOutputTokens == null) {
            return new CostEstimate(requests, inputTokens, exact, maxOutputTokens, null, null);
        }
        Tokens worstCase = new Tokens(inputTokens, 0, maxOutputTokens);
        return new CostEstimate(requests, inputTokens, exact, maxOutputTokens,
                price.batchUsd(worstCase), price.syncUsd(worstCase));
    }
}
