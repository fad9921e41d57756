package io.github.llmbatch.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link HttpTransport} retries transient failures.
 *
 * @param maxRetries    retries after the first attempt (0 = never retry)
 * @param baseDelay     ceiling of the first back-off; doubles per retry (full jitter below it)
 * @param maxDelay      the back-off ceiling never grows beyond this
 * @param maxRetryAfter longest server-requested wait ({@code retry-after-ms}/{@code Retry-After})
 *                      that is honoured as is; longer requests are clamped to it
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    public RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, baseDelay, maxDelay, maxRetryAfter);
    }

    /** The back-off ceiling before retry number {@code retry} (0-based): min(max, base * 2^retry). */
    Duration backOffCeiling(int retry) {
        long base = baseDelay.toMillis();
        long max = maxDelay.toMillis();
        int shift = Math.min(retry, 40);
        long ceiling = base > (max >> shift) ? max : base << shift;
        return Duration.ofMillis(Math.min(ceiling, max));
    }
}
