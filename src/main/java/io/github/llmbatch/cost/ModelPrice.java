package io.github.llmbatch.cost;

import java.math.BigDecimal;

/**
 * What a model costs, at the provider's synchronous ("standard") prices and at its batch prices.
 *
 * @param provider the provider the prices are published by
 * @param model    the model family as the table names it (no date suffix)
 * @param standard synchronous prices
 * @param batch    batch prices
 * @param source   where the figures come from: the shipped table's date, or the file that replaced them
 */
public record ModelPrice(String provider, String model, Rates standard, Rates batch, String source) {

    public BigDecimal batchUsd(Tokens tokens) {
        return batch.costOf(tokens);
    }

    public BigDecimal syncUsd(Tokens tokens) {
        return standard.costOf(tokens);
    }
}
