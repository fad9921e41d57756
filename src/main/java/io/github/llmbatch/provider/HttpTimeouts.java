package io.github.llmbatch.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How long {@link HttpTransport} lets a call take before it counts as hung and is retried.
 *
 * @param connect        to open the connection
 * @param response       for an ordinary call to answer (status and headers); also the longest a
 *                       response body may go without data
 * @param uploadBytesPerSecond the slowest upload speed tolerated: an upload gets {@code response}
 *                       plus its size at this speed (200 MB: about 7 minutes more)
 */
public record HttpTimeouts(Duration connect, Duration response, long uploadBytesPerSecond) {

    /** The default {@code response}; job parameter {@code httpTimeout} replaces it. */
    public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(60);
    static final Duration MAX_CONNECT = Duration.ofSeconds(20);
    static final long SLOWEST_UPLOAD = 512 * 1024;

    public static final HttpTimeouts DEFAULT = of(DEFAULT_RESPONSE);

    public HttpTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(response, "response");
        if (connect.isNegative() || connect.isZero() || response.isNegative() || response.isZero()
                || uploadBytesPerSecond < 1) {
            throw new IllegalArgumentException("HTTP timeouts must be positive");
        }
    }

    /** {@code response} as given; connecting gets as long, at most 20 s. */
    public static HttpTimeouts of(Duration response) {
        return new HttpTimeouts(response.compareTo(MAX_CONNECT) < 0 ? response : MAX_CONNECT, response,
                SLOWEST_UPLOAD);
    }

    /** Time for an upload of {@code bytes} to be sent and answered. */
    public Duration upload(long bytes) {
        return response.plusMillis(Math.max(0, bytes) * 1000 / uploadBytesPerSecond);
    }
}
