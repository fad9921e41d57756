package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;

import java.util.List;
import java.util.stream.Collectors;

/** The provider refused a batch for a reason retrying cannot fix (invalid lines, wrong model, …). */
public final class BatchFailedException extends RuntimeException {

    public BatchFailedException(Ledger.Attempt attempt, List<Ledger.BatchFailure> errors) {
        super("batch " + attempt.batchId + " (shard " + attempt.shard + ", attempt " + attempt.attempt
                + ") failed at the provider: " + describe(errors));
    }

    private static String describe(List<Ledger.BatchFailure> errors) {
        if (errors.isEmpty()) {
            return "no error details given";
        }
        String shown = errors.stream().limit(10)
                .map(e -> e.code + (e.line == null ? "" : " (line " + e.line + ")") + ": " + e.message)
                .collect(Collectors.joining("; "));
        return errors.size() > 10 ? shown + "; and " + (errors.size() - 10) + " more" : shown;
    }
}
