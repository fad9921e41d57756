package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;

import java.nio.file.Path;

/** Creates attempt entries with their idempotency keys. */
final class AttemptPlan {

    private AttemptPlan() {
    }

    /**
     * The key names the run (a random id fixed when the ledger was created, so a fresh job
     * repository reusing instance numbers cannot collide with old batches), the job instance,
     * the shard and the attempt.
     */
    static Ledger.Attempt attempt(Ledger ledger, int shard, int number, Path requestsFile, long requests,
                                 long bytes, String sha256) {
        Ledger.Attempt a = new Ledger.Attempt();
        a.shard = shard;
        a.attempt = number;
        a.requestsFile = requestsFile.toString();
        a.requests = requests;
        a.bytes = bytes;
        a.sha256 = sha256;
        a.key = "lb-" + ledger.runId + "-i" + ledger.jobInstanceId + "-s" + shard + "-a" + number;
        return a;
    }
}
