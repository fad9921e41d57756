package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.TokenUsage;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The results of one attempt's files that the provider bills, by custom_id: those that succeeded
 * (failed, expired and cancelled requests are not billed), with the tokens each was billed for.
 * Keyed by custom_id so that a line repeated in a file, or a file read again, counts once, and so
 * that only requests the attempt sent are billed to it.
 */
final class BilledResults {

    private final Map<String, TokenUsage> metered = new HashMap<>();
    private final Set<String> unmetered = new HashSet<>();

    /** @param usage empty when the result's usage is missing or unreadable */
    void add(String customId, Optional<TokenUsage> usage) {
        if (usage.isPresent()) {
            metered.put(customId, usage.get());
            unmetered.remove(customId);
        } else if (!metered.containsKey(customId)) {
            unmetered.add(customId);
        }
    }

    void addAll(BilledResults other) {
        other.metered.forEach((id, usage) -> add(id, Optional.of(usage)));
        other.unmetered.forEach(id -> add(id, Optional.empty()));
    }

    /** Adds a request of the attempt to its bill when it has a billed result. */
    void addTo(Ledger.Usage bill, String customId) {
        TokenUsage usage = metered.get(customId);
        if (usage != null) {
            bill.requests++;
            bill.inputTokens += usage.inputTokens();
            bill.cachedInputTokens += usage.cachedInputTokens();
            bill.outputTokens += usage.outputTokens();
        } else if (unmetered.contains(customId)) {
            bill.requests++;
            bill.requestsWithoutUsage++;
        }
    }
}
