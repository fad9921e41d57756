package io.github.llmbatch.provider;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A create whose answer never came (a crash, a stop or a lost connection between the call and the
 * ledger's record of its result), as {@link BatchProvider#findLostCreate} looks for it.
 *
 * @param request       the create as it was sent
 * @param requests      the request lines in {@link CreateBatch#requestsFile()}
 * @param intentAt      when the intent was recorded, just before the call: this create's batch is not
 *                      older (on our clock; the provider's may differ by a little)
 * @param knownBatchIds every batch this job instance has recorded for an attempt: none of them is
 *                      this create's
 */
public record LostCreate(CreateBatch request, long requests, Instant intentAt, Set<String> knownBatchIds) {

    public LostCreate {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(intentAt, "intentAt");
        knownBatchIds = Set.copyOf(knownBatchIds);
    }
}
