package io.github.llmbatch.cost;

/**
 * The money of one job as people and scripts see it ({@code status --json} "cost", the progress
 * line, the exit summary, the run report): all of them show these figures and no others.
 *
 * @param priced   false when the model is not in the price table: every USD amount is then null
 * @param price    the prices applied; null when not priced
 * @param estimate null before prepare has counted the requests
 */
public record CostFigures(String currency, boolean priced, ModelPrice price, CostEstimate estimate, Bill bill) {

    public static final String USD = "USD";
}
