package io.github.llmbatch.cost;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A limit on what a job may cost ({@code budget}, USD), held against the worst case of its
 * estimate: every request's input at batch prices plus {@code maxTokens} of output each. A
 * limit cannot be kept when the cost is unknown (the model is not priced) or has no upper bound
 * (no {@code maxTokens}), so those exceed it too, saying why.
 */
public record Budget(BigDecimal usd) {

    public static final String EXCEEDED = "BUDGET_EXCEEDED";

    /**
     * @param unpriced why the model has no price (the recorded prices' source), used when
     *                 {@code priced} is false
     * @return the exit status that stops the job, or empty when the estimate is within the budget
     */
    public Optional<String> refusal(CostEstimate estimate, boolean priced, String unpriced) {
        String budget = "budget " + Usd.format(usd);
        if (!priced) {
            return Optional.of(EXCEEDED + ": estimate unknown > " + budget + " (" + unpriced + ")");
        }
        if (estimate.maxOutputTokens() == null) {
            return Optional.of(EXCEEDED + ": estimate unbounded > " + budget
                    + " (no maxTokens, so the output has no upper bound; set maxTokens)");
        }
        if (estimate.batchUsd().compareTo(usd) > 0) {
            return Optional.of(EXCEEDED + ": estimate " + Usd.format(estimate.batchUsd()) + " > " + budget);
        }
        return Optional.empty();
    }
}
