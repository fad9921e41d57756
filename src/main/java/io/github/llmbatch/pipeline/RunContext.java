package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.provider.BatchProvider;

import java.time.Clock;
import java.time.Duration;

/**
 * What submit, poll and resolve share for one job instance. The ledger object is the only
 * state; {@link #save()} persists it atomically.
 *
 * @param pollInterval      time between status polls (also the base of the enqueued-token back-off)
 * @param maxAttempts       attempts per request, the first included
 */
public record RunContext(InstancePaths paths, Ledger ledger, LedgerStore store, BatchProvider provider,
                         String endpoint, String model, Duration pollInterval, int maxAttempts, Clock clock) {

    public void save() {
        store.write(ledger);
    }

    public String now() {
        return clock.instant().toString();
    }

    public long nowMillis() {
        return clock.millis();
    }
}
