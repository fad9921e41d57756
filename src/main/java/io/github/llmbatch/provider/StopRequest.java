package io.github.llmbatch.provider;

import java.time.Duration;

/**
 * Whether the job has asked its running work to end ({@code JobOperator.stop()}, Ctrl-C in the CLI).
 * {@link HttpTransport} checks it while a call is in flight and while it waits to retry, so a stop
 * ends either within a fraction of a second instead of after the call's timeout.
 */
public interface StopRequest {

    /** For work that is never stopped from outside. */
    StopRequest NEVER = new StopRequest() {
        @Override
        public boolean isStopped() {
            return false;
        }

        @Override
        public boolean await(Duration timeout) {
            try {
                Thread.sleep(timeout.toMillis());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    };

    boolean isStopped();

    /** Waits up to {@code timeout}; true as soon as a stop is requested. */
    boolean await(Duration timeout);
}
