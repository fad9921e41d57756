package io.github.llmbatch.ledger;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a person wants to see of a ledger: how much was prepared, how many batches are in which
 * state, how many requests have an outcome.
 *
 * @param batchesByStatus  latest attempt of each shard, by provider status ("not created" before create)
 * @param requestsDone     requests of the latest attempts that have a final outcome (succeeded or failed)
 * @param requestsTotal    all requests prepared
 * @param succeeded        output records that succeeded, as the merge counted them; null until the
 *                         merge has written every record (so input = succeeded + failed + rejects)
 * @param failed           output records that failed; null likewise
 */
public record LedgerSummary(long inputRecords, long rejects, int shards, long requestsTotal,
                            long requestsDone, Map<String, Integer> batchesByStatus, int attempts,
                            Long succeeded, Long failed) {

    /** Before the merge has counted. */
    public LedgerSummary(long inputRecords, long rejects, int shards, long requestsTotal, long requestsDone,
                         Map<String, Integer> batchesByStatus, int attempts) {
        this(inputRecords, rejects, shards, requestsTotal, requestsDone, batchesByStatus, attempts, null, null);
    }

    static LedgerSummary of(Ledger ledger) {
        Map<String, Integer> byStatus = new TreeMap<>();
        long done = 0;
        for (Ledger.Shard shard : ledger.shards) {
            var latest = ledger.latestAttempt(shard.index);
            String status = latest.map(a -> a.status == null ? "not created" : a.status).orElse("not created");
            byStatus.merge(status, 1, Integer::sum);
        }
        // A request is done once it has an outcome that no later attempt replaces.
        for (Ledger.Attempt a : ledger.attempts) {
            if (a.resolved) {
                done += a.requests - a.retried;
            }
        }
        var prepare = ledger.prepare;
        return new LedgerSummary(prepare == null ? 0 : prepare.inputRecords, prepare == null ? 0 : prepare.rejects,
                ledger.shards.size(), prepare == null ? 0 : prepare.requests, done, byStatus, ledger.attempts.size(),
                ledger.merge == null ? null : ledger.merge.succeeded, ledger.merge == null ? null : ledger.merge.failed);
    }
}
