package io.github.llmbatch.cli;

import io.github.llmbatch.cost.Bill;
import io.github.llmbatch.cost.CostEstimate;
import io.github.llmbatch.cost.CostFigures;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.Usd;
import io.github.llmbatch.ledger.Ledger;
import jakarta.json.bind.annotation.JsonbTransient;

import java.math.BigDecimal;

/**
 * The "cost" object of {@code status --json}; its names are a contract, scripts read them. Every
 * figure comes from the ledger and the prices recorded in it, so any JVM shows the same. USD amounts
 * are exact (never rounded) and null when the model is not priced, never 0 for unknown.
 *
 * @param estimate     null before prepare has counted the requests
 * @param pricesSource where the prices come from, or why there are none; shown in text, not in JSON
 */
public record CostStatus(String currency, boolean priced, CostEstimate estimate, BillStatus bill,
                         @JsonbTransient String pricesSource) {

    /**
     * The bill: {@link Bill}'s figures and how many billed results had no usage to read.
     *
     * @param requestsWithoutUsage billed requests whose tokens are unknown: above 0, the tokens and amounts
     *                             are lower bounds
     */
    public record BillStatus(long requests, long inputTokens, long cachedInputTokens, long outputTokens,
                             BigDecimal batchUsd, BigDecimal syncUsd, BigDecimal savingUsd,
                             long requestsWithoutUsage) {
    }

    static CostStatus of(Ledger ledger) {
        CostFigures f = LedgerCost.figures(ledger);
        Bill b = f.bill();
        String source = ledger.prices == null ? "no prices recorded for this job" : ledger.prices.source;
        return new CostStatus(f.currency(), f.priced(), f.estimate(),
                new BillStatus(b.requests(), b.inputTokens(), b.cachedInputTokens(), b.outputTokens(), b.batchUsd(),
                        b.syncUsd(), b.savingUsd(), LedgerCost.requestsWithoutUsage(ledger)), source);
    }


    /** The progress line's part: {@code billed $0.0123 (sync $0.0246, saved $0.0123)}, or {@code cost unknown}. */
    String progress() {
        StringBuilder s = new StringBuilder();
        if (!priced) {
            s.append("billed ").append(bill.requests()).append(" requests, cost unknown");
        } else {
            s.append("billed ").append(Usd.format(bill.batchUsd())).append(" (sync ").append(Usd.format(bill.syncUsd()))
                    .append(", saved ").append(Usd.format(bill.savingUsd())).append(')');
        }
        if (bill.requestsWithoutUsage() > 0) {
            s.append(" + ").append(bill.requestsWithoutUsage()).append(" results without usage");
        }
        return s.toString();
    }

    /** What {@code status} and the exit summary show of the money: the prices, the estimate, the bill. */
    java.util.List<String> lines() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        lines.add("prices: " + pricesSource);
        if (estimateLine() != null) {
            lines.add(estimateLine());
        }
        lines.add(billLine());
        return lines;
    }

    /** The bill for {@code status} and the exit summary. */
    String billLine() {
        StringBuilder s = new StringBuilder("bill: ").append(bill.requests()).append(" requests, ")
                .append(bill.inputTokens()).append(" input tokens (").append(bill.cachedInputTokens())
                .append(" cached), ").append(bill.outputTokens()).append(" output tokens: ");
        if (priced) {
            s.append("batch ").append(Usd.format(bill.batchUsd())).append(", at synchronous prices ")
                    .append(Usd.format(bill.syncUsd())).append(", saved ").append(Usd.format(bill.savingUsd()));
        } else {
            s.append("cost unknown (").append(pricesSource).append(')');
        }
        if (bill.requestsWithoutUsage() > 0) {
            s.append("; incomplete: ").append(bill.requestsWithoutUsage())
                    .append(" billed results had no usage, their tokens are not counted");
        }
        return s.toString();
    }

    /** The estimate for {@code status}; null before prepare has counted. */
    String estimateLine() {
        if (estimate == null) {
            return null;
        }
        StringBuilder s = new StringBuilder("estimate: ").append(estimate.requests()).append(" requests, ")
                .append(estimate.inputTokens()).append(" input tokens")
                .append(estimate.inputTokensExact() ? ", " : " (approximate), ");
        s.append(estimate.maxOutputTokens() == null ? "output unbounded (no maxTokens)"
                : "at most " + estimate.maxOutputTokens() + " output tokens");
        s.append(": batch ").append(Usd.format(estimate.batchUsd())).append(", at synchronous prices ")
                .append(Usd.format(estimate.syncUsd()));
        return s.toString();
    }
}
