package io.github.llmbatch.cost;

import io.github.llmbatch.ledger.Ledger;

import java.util.Optional;

/**
 * A job instance's money, read from its ledger: the estimate prepare counted, the bill the
 * resolved attempts' usage adds up to, both priced with the prices recorded in the ledger.
 * Every place that shows money (status, progress, exit summary, report) asks this class. (So
 * {@code cost} reads {@code ledger}: an arrow the first layer table did not have.)
 */
public final class LedgerCost {

    private LedgerCost() {
    }

    /** Records in the ledger the prices of its model from this table (or that it has none). */
    public static void recordPrices(Ledger ledger, PriceTable table) {
        Optional<ModelPrice> found = table.find(ledger.provider, ledger.model);
        Ledger.Prices prices = new Ledger.Prices();
        if (found.isPresent()) {
            ModelPrice p = found.get();
            prices.priced = true;
            prices.source = p.source() + ": " + p.provider() + " " + p.model();
            prices.standardInput = p.standard().input();
            prices.standardCachedInput = p.standard().cachedInput();
            prices.standardOutput = p.standard().output();
            prices.batchInput = p.batch().input();
            prices.batchCachedInput = p.batch().cachedInput();
            prices.batchOutput = p.batch().output();
        } else {
            prices.priced = false;
            prices.source = "model " + ledger.model + " of " + ledger.provider + " is not in the "
                    + "price table of " + table.asOf() + " (add it with priceTable=FILE)";
        }
        ledger.prices = prices;
    }

    /** The prices recorded in the ledger; empty when the model is not priced or none were recorded. */
    public static Optional<ModelPrice> price(Ledger ledger) {
        Ledger.Prices p = ledger.prices;
        if (p == null || !p.priced) {
            return Optional.empty();
        }
        return Optional.of(new ModelPrice(ledger.provider, ledger.model,
                new Rates(p.standardInput, p.standardCachedInput, p.standardOutput),
                new Rates(p.batchInput, p.batchCachedInput, p.batchOutput), p.source));
    }

    /** The estimate, null before prepare has finished. */
    public static CostEstimate estimate(Ledger ledger) {
        Ledger.PrepareSummary prepare = ledger.prepare;
        if (prepare == null) {
            return null;
        }
        return CostEstimate.of(prepare.requests, prepare.inputTokens, prepare.inputTokensExact,
                prepare.maxOutputTokens, price(ledger).orElse(null));
    }

    /** The bill of every resolved attempt: each billed result once. */
    public static Bill bill(Ledger ledger) {
        long requests = 0;
        Tokens tokens = Tokens.NONE;
        for (Ledger.Attempt a : ledger.attempts) {
            if (a.billed != null) {
                requests += a.billed.requests;
                tokens = tokens.plus(new Tokens(a.billed.inputTokens, a.billed.cachedInputTokens,
                        a.billed.outputTokens));
            }
        }
        return Bill.of(requests, tokens, price(ledger).orElse(null));
    }

    /**
     * Billed requests whose results carried no readable usage: counted in the bill's requests with
     * unknown tokens, so while this is above 0 the bill is a lower bound, and every place that shows
     * the bill says so.
     */
    public static long requestsWithoutUsage(Ledger ledger) {
        long unknown = 0;
        for (Ledger.Attempt a : ledger.attempts) {
            if (a.billed != null) {
                unknown += a.billed.requestsWithoutUsage;
            }
        }
        return unknown;
    }

    public static CostFigures figures(Ledger ledger) {
        Optional<ModelPrice> price = price(ledger);
        return new CostFigures(CostFigures.USD, price.isPresent(), price.orElse(null), estimate(ledger), bill(ledger));
    }
}
