package io.github.llmbatch.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider's own retry rules on top of what {@link HttpTransport} does for every provider: which
 * HTTP statuses are worth retrying, and a wait the server asked for inside an error body (Google
 * APIs put it in a {@code google.rpc.RetryInfo} detail rather than a {@code Retry-After} header).
 * The transport asks in this order: {@code x-should-retry}, then {@link #retryable}; for the wait,
 * {@code retry-after-ms}/{@code Retry-After}, then {@link #requestedDelay}, then its own back-off.
 */
public interface RetryRules {

    /** The rule the transport started with: 408, 409, 429 and every 5xx; no delay read from bodies. */
    RetryRules HTTP = status -> status == 408 || status == 409 || status == 429 || status >= 500;

    boolean retryable(int status);

    /**
     * @param errorBody the body of a non-2xx answer, possibly empty or not JSON
     * @return the wait the server asked for; empty when it asked for none or it cannot be read
     */
    default Optional<Duration> requestedDelay(byte[] errorBody) {
        return Optional.empty();
    }
}
