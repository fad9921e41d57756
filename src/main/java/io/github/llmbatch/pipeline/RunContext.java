package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.ProviderProfile;

import java.time.Clock;
import java.time.Duration;

/**
 * What submit, poll and resolve share for one job instance. The ledger object is the only
 * state; {@link #save()} persists it atomically.
 *
 * @param fence             checked before every save: an execution that lost its instance lock
 *                          saves nothing, and since every upload and create is preceded by the
 *                          save of its intent, creates nothing either
 * @param profile           how the provider's request and result lines are read and classified
 * @param endpoint          the endpoint as the profile names it, for the batches created
 * @param pollInterval      time between status polls (also the base of the enqueued-token back-off)
 * @param maxAttempts       attempts per request, the first included
 */
public record RunContext(InstancePaths paths, Ledger ledger, LedgerStore store, LockFence fence, BatchProvider provider,
                         ProviderProfile profile, String endpoint, String model, Duration pollInterval, int maxAttempts, Clock clock) {

    /** @throws io.github.llmbatch.ledger.LockLostException when this execution lost its instance lock */
    public void save() {
        fence.check();
        store.write(ledger);
    }

    public String now() {
        return clock.instant().toString();
    }

    public long nowMillis() {
        return clock.millis();
    }
}
