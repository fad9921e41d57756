package io.github.llmbatch.provider;

import com.fasterxml.jackson.core.JsonFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK {@link HttpClient} with the retry rules every provider shares.
 *
 * <p>Retried: HTTP 408, 409, 429 and 5xx, and I/O failures of the exchange (refused or reset
 * connections, timeouts). A response header {@code x-should-retry: true|false} overrides the
 * status rule. The wait before retry {@code n} (0-based) is what the server asked for
 * ({@code retry-after-ms}, else {@code Retry-After}, clamped to {@link RetryPolicy#maxRetryAfter()}),
 * else a random duration in [0, min(maxDelay, baseDelay * 2^n)) ("full jitter").
 *
 * <p>Each attempt builds its request anew from the {@link RequestFactory}, so bodies published
 * from files are read again from the start.
 *
 * <p>Credentials travel only in request headers set by the provider. Header values of
 * {@code Authorization}, {@code api-key}, {@code x-api-key} and {@code x-goog-api-key} are
 * redacted in log records, and scrubbed from exception messages in case a server echoes them.
 */
public final class HttpTransport {

    private static final Logger LOG = Logger.getLogger(HttpTransport.class.getName());

    /** Builds one attempt's request; called again for every retry. */
    @FunctionalInterface
    public interface RequestFactory {
        HttpRequest build() throws IOException;
    }

    private final HttpClient client;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier jitter;
    private final JsonFactory json = new JsonFactory();

    public HttpTransport(RetryPolicy policy) {
        this(defaultClient(), policy, Sleeper.REAL, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param jitter yields values in [0, 1); the back-off is that fraction of its ceiling
     */
    public HttpTransport(HttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, DoubleSupplier jitter) {
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /**
     * Redirects are not followed: the JDK client would resend the credential headers to
     * wherever the redirect points.
     */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Sends the request, retrying as described above, and returns the first 2xx answer with its
     * body read by {@code onSuccess}.
     *
     * @throws ProviderException when the final answer is not 2xx
     * @throws IOException       when the exchange itself kept failing, or building the request failed
     */
    public <T> HttpResult<T> send(RequestFactory factory, BodyHandler<T> onSuccess) throws IOException {
        BodyHandler<Outcome<T>> handler = info -> isSuccess(info.statusCode())
                ? BodySubscribers.mapping(onSuccess.apply(info), Outcome::success)
                : BodySubscribers.mapping(BodySubscribers.ofByteArray(), Outcome::failure);
        for (int retry = 0; ; retry++) {
            HttpRequest request = factory.build();
            List<String> secrets = SecretHeaders.secretValues(request.headers());
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(SecretHeaders.scrub(request.method() + " " + request.uri() + " attempt " + (retry + 1)
                        + " headers " + SecretHeaders.redacted(request.headers()), secrets));
            }
            HttpResponse<Outcome<T>> response;
            try {
                response = client.send(request, handler);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(describe(request) + ": interrupted");
            } catch (IOException e) {
                if (retry >= policy.maxRetries() || isLocalFileProblem(e)) {
                    throw new IOException(SecretHeaders.scrub(describe(request) + ": " + e
                            + (retry > 0 ? " (after " + retry + " retries)" : ""), secrets), e);
                }
                Duration wait = backOff(retry);
                logRetry(request, e.toString(), retry, wait, secrets);
                pause(wait, request);
                continue;
            }
            int status = response.statusCode();
            LOG.fine(() -> describe(request) + " -> " + status);
            Outcome<T> outcome = response.body();
            if (outcome.succeeded()) {
                return new HttpResult<>(status, response.headers(), outcome.value());
            }
            if (retry < policy.maxRetries() && isRetryable(status, response.headers())) {
                int attempt = retry;
                Duration wait = serverWait(response.headers()).orElseGet(() -> backOff(attempt));
                logRetry(request, "HTTP " + status, retry, wait, secrets);
                pause(wait, request);
                continue;
            }
            ErrorBody error = ErrorBody.parse(outcome.errorBody(), json);
            String message = describe(request) + ": HTTP " + status
                    + (error.code() == null ? "" : " " + error.code())
                    + ": " + (error.message() == null || error.message().isEmpty() ? "(no message)" : error.message())
                    + (retry > 0 ? " (after " + retry + " retries)" : "");
            throw new ProviderException(status, SecretHeaders.scrub(error.code(), secrets),
                    SecretHeaders.scrub(message, secrets));
        }
    }

    private void logRetry(HttpRequest request, String cause, int retry, Duration wait, List<String> secrets) {
        LOG.info(() -> SecretHeaders.scrub(describe(request) + ": " + cause + "; retry " + (retry + 1) + " of "
                + policy.maxRetries() + " in " + wait.toMillis() + " ms", secrets));
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    static boolean isRetryable(int status, HttpHeaders headers) {
        Optional<String> override = headers.firstValue("x-should-retry");
        if (override.isPresent()) {
            if ("true".equalsIgnoreCase(override.get().trim())) {
                return true;
            }
            if ("false".equalsIgnoreCase(override.get().trim())) {
                return false;
            }
        }
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    // A missing or unreadable local file will not appear by retrying.
    private static boolean isLocalFileProblem(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException || t instanceof java.io.FileNotFoundException) {
                return true;
            }
        }
        return false;
    }

    private Optional<Duration> serverWait(HttpHeaders headers) {
        return RetryAfter.of(headers, clock)
                .filter(wait -> !wait.isNegative() && !wait.isZero())
                .map(wait -> wait.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : wait);
    }

    private Duration backOff(int retry) {
        long ceiling = policy.backOffCeiling(retry).toMillis();
        double fraction = Math.min(Math.max(jitter.getAsDouble(), 0d), 1d);
        return Duration.ofMillis((long) (ceiling * fraction));
    }

    private void pause(Duration wait, HttpRequest request) throws InterruptedIOException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(describe(request) + ": interrupted while waiting to retry");
        }
    }

    // The path only: a query string is not needed to recognise the call.
    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri().getRawPath();
    }

    private record Outcome<T>(boolean succeeded, T value, byte[] errorBody) {
        static <T> Outcome<T> success(T value) {
            return new Outcome<>(true, value, null);
        }

        static <T> Outcome<T> failure(byte[] body) {
            return new Outcome<>(false, null, body);
        }
    }
}
