package io.github.llmbatch.cost;

import io.github.llmbatch.ledger.Ledger;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * The estimate as the dry run prints it: requests, input tokens (exact or approximate, and how),
 * the worst case of the output, its cost at batch and at synchronous prices, the saving, where
 * the prices come from, and the budget. A cost that cannot be known says why, never $0.
 */
public final class EstimateText {

    private EstimateText() {
    }

    /** @param budget null when the job has none */
    public static String of(Ledger ledger, BigDecimal budget) {
        CostEstimate estimate = LedgerCost.estimate(ledger);
        Optional<ModelPrice> price = LedgerCost.price(ledger);
        StringBuilder out = new StringBuilder();
        line(out, "requests", number(estimate.requests()));
        line(out, "input tokens", number(estimate.inputTokens()) + " (" + howCounted(ledger) + ")");
        Long maxOutput = estimate.maxOutputTokens();
        line(out, "output tokens", maxOutput == null ? "unbounded: no maxTokens"
                : "at most " + number(maxOutput) + (maxOutput == 0 ? " (embeddings)" : " (maxTokens for every request)"));
        if (price.isEmpty()) {
            String unknown = "unknown (" + (ledger.prices == null ? "no prices recorded" : ledger.prices.source) + ")";
            line(out, "cost at batch prices", unknown);
            line(out, "cost at sync prices", unknown);
        } else if (estimate.batchUsd() == null) {
            Tokens input = new Tokens(estimate.inputTokens(), 0, 0);
            line(out, "cost at batch prices", "unbounded (no maxTokens); the input alone "
                    + Usd.format(price.get().batchUsd(input)));
            line(out, "cost at sync prices", "unbounded (no maxTokens); the input alone "
                    + Usd.format(price.get().syncUsd(input)));
        } else {
            line(out, "cost at batch prices", Usd.format(estimate.batchUsd()) + " at most");
            line(out, "cost at sync prices", Usd.format(estimate.syncUsd()));
            line(out, "saving", Usd.format(estimate.syncUsd().subtract(estimate.batchUsd())));
        }
        line(out, "prices", ledger.prices == null ? "none recorded" : ledger.prices.source);
        if (budget != null) {
            line(out, "budget", Usd.format(budget) + new Budget(budget).refusal(estimate, price.isPresent(),
                    ledger.prices == null ? "no prices recorded" : ledger.prices.source)
                    .map(refusal -> ": would stop the job before any upload, " + refusal).orElse(": within it"));
        }
        return out.toString();
    }

    /** Exact, or which approximation. */
    static String howCounted(Ledger ledger) {
        Tokenizer tokenizer = Tokenizer.forModel(ledger.model);
        if (ledger.prepare.inputTokensExact) {
            return "exact, " + tokenizer.encoding();
        }
        if (!tokenizer.exact()) {
            return "approximate: " + ledger.model + " is counted with OpenAI's " + tokenizer.encoding()
                    + ", its own tokenizer is not public";
        }
        return String.format(Locale.ROOT, "approximate: the first %,d requests and every %dth after them (every %,dth"
                + " past %,d) counted with %s, the others extrapolated from their size", InputTokenCount.COUNT_FIRST,
                InputTokenCount.SAMPLE_EVERY, InputTokenCount.SPARSE_EVERY, InputTokenCount.SPARSE_AFTER,
                tokenizer.encoding());
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-21s %s%n", label + ":", value));
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
