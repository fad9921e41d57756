package io.github.llmbatch.pipeline;

import io.github.llmbatch.provider.StopRequest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Set by {@code JobOperator.stop()}; long waits end as soon as it is set, and so do the provider's
 * HTTP calls in flight and its waits to retry (it is their {@link StopRequest}).
 */
public final class StopSignal implements StopRequest {

    private final CountDownLatch stopped = new CountDownLatch(1);

    public void stop() {
        stopped.countDown();
    }

    @Override
    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Waits up to {@code timeout}; true when a stop arrived. */
    @Override
    public boolean await(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
