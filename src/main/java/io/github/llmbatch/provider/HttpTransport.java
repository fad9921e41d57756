package io.github.llmbatch.provider;

import com.fasterxml.jackson.core.JsonFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK {@link HttpClient} with the retry rules every provider shares.
 *
 * <p>Retried: HTTP 408, 409, 429 and 5xx (or a provider's own {@link RetryRules}), and I/O failures
 * of the exchange (refused or reset connections, timeouts). A response header
 * {@code x-should-retry: true|false} overrides the status rule. The wait before retry {@code n}
 * (0-based) is what the server asked for ({@code retry-after-ms}, else {@code Retry-After}, else a
 * delay the provider's rules read from the error body; clamped to {@link RetryPolicy#maxRetryAfter()}),
 * else a random duration in [0, min(maxDelay, baseDelay * 2^n)) ("full jitter").
 *
 * <p>Nothing waits unseen or unstoppable: every retry is logged at INFO with its cause and wait; a
 * call still unanswered after a few seconds is logged at INFO (with how much it has sent or received)
 * and again every half minute; a request body the peer stops taking, or a response body that stops
 * coming, for {@link HttpTimeouts#response()} is abandoned as hung and retried (the JDK's own request
 * timeout only bounds the whole time until the answer's headers); and a {@link StopRequest} ends a
 * call in flight or a wait to retry within a fraction of a second ({@link CallStoppedException}).
 *
 * <p>Plain {@code http://} URLs are sent as HTTP/1.1: the JDK would otherwise offer an upgrade to
 * HTTP/2 ({@code Upgrade: h2c}), which some OpenAI-compatible servers and proxies refuse.
 * HTTPS negotiates HTTP/2 as usual.
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

    /** How often a call in flight looks at the stop request and its own progress. */
    private static final long WATCH_MILLIS = 100;
    /** A call unanswered this long is reported (half the response timeout when that is shorter)... */
    private static final Duration FIRST_NOTICE = Duration.ofSeconds(10);
    /** ...and again this often. */
    private static final Duration NEXT_NOTICE = Duration.ofSeconds(30);

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
    private final HttpTimeouts timeouts;
    private final StopRequest stop;
    private final RetryRules rules;
    private final JsonFactory json = new JsonFactory();

    public HttpTransport(RetryPolicy policy) {
        this(policy, HttpTimeouts.DEFAULT, StopRequest.NEVER);
    }

    /** @param stop ends calls in flight and waits to retry when the job is stopped */
    public HttpTransport(RetryPolicy policy, HttpTimeouts timeouts, StopRequest stop) {
        this(client(timeouts), policy, stop::await, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(),
                timeouts, stop);
    }

    /**
     * @param jitter yields values in [0, 1); the back-off is that fraction of its ceiling
     */
    public HttpTransport(HttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, DoubleSupplier jitter) {
        this(client, policy, sleeper, clock, jitter, HttpTimeouts.DEFAULT, StopRequest.NEVER);
    }

    /**
     * @param sleeper waits before a retry; the stop request is checked after it, so a sleeper that
     *                returns early on a stop (as {@link StopRequest#await} does) ends the wait
     */
    public HttpTransport(HttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, DoubleSupplier jitter,
                         HttpTimeouts timeouts, StopRequest stop) {
        this(client, policy, sleeper, clock, jitter, timeouts, stop, RetryRules.HTTP);
    }

    private HttpTransport(HttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, DoubleSupplier jitter,
                          HttpTimeouts timeouts, StopRequest stop, RetryRules rules) {
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * This transport (same client, policy, timeouts and stop request) with a provider's own retry
     * rules in place of {@link RetryRules#HTTP}; the job builds one transport, each provider adapts it.
     */
    public HttpTransport withRetryRules(RetryRules providerRules) {
        return new HttpTransport(client, policy, sleeper, clock, jitter, timeouts, stop, providerRules);
    }

    /** With the default timeouts. */
    public static HttpClient defaultClient() {
        return client(HttpTimeouts.DEFAULT);
    }

    /**
     * Redirects are not followed: the JDK client would resend the credential headers to
     * wherever the redirect points.
     */
    public static HttpClient client(HttpTimeouts timeouts) {
        return HttpClient.newBuilder()
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** The timeouts the provider sets on its requests ({@link HttpRequest.Builder#timeout}). */
    public HttpTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Streams the body of the first 2xx answer into {@code target}, as {@link #send} retries: into a
     * temporary sibling, forced to disk, then renamed over the target, so a crash never leaves a
     * partial file under the target's name.
     */
    public void download(RequestFactory factory, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
        try {
            send(factory, BodyHandlers.ofFile(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Sends the request, retrying as described above, and returns the first 2xx answer with its
     * body read by {@code onSuccess}.
     *
     * @throws ProviderException     when the final answer is not 2xx
     * @throws CallStoppedException  when the stop request ended the call or the wait before a retry
     * @throws IOException           when the exchange itself kept failing, or building the request failed
     */
    public <T> HttpResult<T> send(RequestFactory factory, BodyHandler<T> onSuccess) throws IOException {
        for (int retry = 0; ; retry++) {
            if (stop.isStopped()) {
                throw new CallStoppedException("stopped before the call was made");
            }
            HttpRequest built = factory.build();
            CallProgress progress = new CallProgress(
                    built.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L));
            HttpRequest request = watched(built, progress);
            List<String> secrets = SecretHeaders.secretValues(request.headers());
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(SecretHeaders.scrub(request.method() + " " + request.uri() + " attempt " + (retry + 1)
                        + " headers " + SecretHeaders.redacted(request.headers()), secrets));
            }
            BodyHandler<Outcome<T>> handler = info -> progress.watch(isSuccess(info.statusCode())
                    ? BodySubscribers.mapping(onSuccess.apply(info), Outcome::success)
                    : BodySubscribers.mapping(BodySubscribers.ofByteArray(), Outcome::failure));
            HttpResponse<Outcome<T>> response;
            try {
                response = exchange(request, handler, progress);
            } catch (CallStoppedException e) {
                throw e;
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
            if (retry < policy.maxRetries() && isRetryable(status, response.headers(), rules)) {
                int attempt = retry;
                Optional<Duration> asked = RetryAfter.of(response.headers(), clock)
                        .or(() -> rules.requestedDelay(outcome.errorBody()))
                        .filter(wait -> !wait.isNegative() && !wait.isZero());
                Duration wait = asked.map(this::clamped).orElseGet(() -> backOff(attempt));
                String cause = "HTTP " + status + asked.map(a -> a.equals(wait)
                        ? " (the server asked to wait " + text(a) + ")"
                        : " (the server asked to wait " + text(a) + "; waiting the longest allowed, " + text(wait)
                        + ")").orElse("");
                logRetry(request, cause, retry, wait, secrets);
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

    /**
     * One exchange, watched: ended by the stop request, abandoned when its body stalls, reported
     * while nothing comes back.
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, BodyHandler<T> handler, CallProgress progress)
            throws IOException {
        CompletableFuture<HttpResponse<T>> future = client.sendAsync(request, handler);
        long started = System.nanoTime();
        Duration limit = request.timeout().orElse(timeouts.response());
        long stallLimit = timeouts.response().toNanos();
        long firstNotice = Math.min(FIRST_NOTICE.toNanos(), timeouts.response().toNanos() / 2);
        long nextNotice = started + firstNotice;
        while (true) {
            try {
                return future.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // watch below
            } catch (ExecutionException e) {
                throw failure(request, e.getCause());
            } catch (CancellationException e) {
                throw new IOException(describe(request) + ": cancelled", e);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(describe(request) + ": interrupted");
            }
            if (stop.isStopped()) {
                future.cancel(true);
                throw new CallStoppedException(describe(request) + ": stopped while waiting for the answer");
            }
            long now = System.nanoTime();
            if (progress.stalledNanos(now) > stallLimit) {
                future.cancel(true);
                throw new HttpTimeoutException((progress.headersReceived()
                        ? "the answer stalled: no data for " + text(timeouts.response()) + " after "
                        + progress.received() + " bytes"
                        : "the upload stalled: nothing sent for " + text(timeouts.response()) + " after "
                        + progress.sent() + " of " + progress.requestBytes() + " bytes")
                        + " (job parameter httpTimeout)");
            }
            if (now >= nextNotice) {
                Duration waited = Duration.ofNanos(now - started);
                String state = progress.headersReceived()
                        ? "receiving the answer, " + progress.received() + " bytes so far"
                        : progress.sending()
                        ? "sending, " + progress.sent() + " of " + progress.requestBytes() + " bytes so far; gives up"
                        + " when nothing moves for " + text(timeouts.response()) + " or after " + text(limit)
                        : "no answer yet; gives up after " + text(limit) + " (job parameter httpTimeout)";
                LOG.info(() -> describe(request) + ": waiting for " + text(waited) + ", " + state);
                nextNotice = now + NEXT_NOTICE.toNanos();
            }
        }
    }

    private static IOException failure(HttpRequest request, Throwable cause) {
        if (cause instanceof java.net.http.HttpConnectTimeoutException) {
            return new java.net.http.HttpConnectTimeoutException("could not connect: " + cause.getMessage());
        }
        if (cause instanceof HttpTimeoutException) {
            return new HttpTimeoutException("no answer within " + request.timeout().map(HttpTransport::text)
                    .orElse("the timeout") + " (job parameter httpTimeout)");
        }
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new IOException(cause);
    }

    /**
     * The request with its body watched by {@code progress}, and as HTTP/1.1 on plain-text HTTP
     * unless the provider chose a version itself.
     */
    private static HttpRequest watched(HttpRequest request, CallProgress progress) {
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
        if ("http".equalsIgnoreCase(request.uri().getScheme()) && request.version().isEmpty()) {
            copy.version(HttpClient.Version.HTTP_1_1);
        }
        request.bodyPublisher().filter(body -> body.contentLength() != 0)
                .ifPresent(body -> copy.method(request.method(), progress.watch(body)));
        return copy.build();
    }

    private void logRetry(HttpRequest request, String cause, int retry, Duration wait, List<String> secrets) {
        LOG.info(() -> SecretHeaders.scrub(describe(request) + ": " + cause + "; retry " + (retry + 1) + " of "
                + policy.maxRetries() + " in " + text(wait), secrets));
    }

    /** {@code 0.4 s}, {@code 12 s}, {@code 300 s (5 min)}. */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000d);
        }
        long s = (ms + 500) / 1000;
        return s < 120 ? s + " s" : s + " s (" + (s / 60) + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s") + ")";
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    static boolean isRetryable(int status, HttpHeaders headers, RetryRules rules) {
        Optional<String> override = headers.firstValue("x-should-retry");
        if (override.isPresent()) {
            if ("true".equalsIgnoreCase(override.get().trim())) {
                return true;
            }
            if ("false".equalsIgnoreCase(override.get().trim())) {
                return false;
            }
        }
        return rules.retryable(status);
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

    private Duration clamped(Duration wait) {
        return wait.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : wait;
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
        if (stop.isStopped()) {
            throw new CallStoppedException(describe(request) + ": stopped while waiting to retry");
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
