package io.github.llmbatch.provider.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.HttpResult;
import io.github.llmbatch.provider.FoundOnRetry;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.LostCreate;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.SecretHeaders;
import io.github.llmbatch.provider.UserAgent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Anthropic Message Batches (BATCH-PROTOCOLS.md §B): the requests go inline with the create call,
 * streamed from the shard's request file ({@link AnthropicCreateBody}); the batch is polled, and its
 * results read from the {@code results_url} it names.
 *
 * <p>Retries are the Anthropic SDK's (§B.5): 408, 409, 429 and every 5xx (529 overloaded too), which
 * are the transport's own {@link io.github.llmbatch.provider.RetryRules#HTTP}, with {@code x-should-retry}
 * and {@code retry-after-ms}/{@code retry-after} honoured. Unlike the SDK (2 retries, waits over 60 s
 * ignored) the job's {@link RetryPolicy} applies: a batch job would rather wait than fail.
 *
 * <p>Anthropic keeps no metadata with a batch, so a create whose answer was lost is found again by
 * its shape ({@link #findLostCreate}); a retried create looks before it sends again.
 */
public final class AnthropicProvider implements BatchProvider {

    private static final Logger LOG = Logger.getLogger(AnthropicProvider.class.getName());

    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String API_VERSION = "2023-06-01";
    static final String BATCHES = "/v1/messages/batches";
    static final int PAGE_SIZE = 100;
    /**
     * How far the provider's clock may lag ours: a batch created right after our intent may carry a
     * created_at this much before it. Minutes, not seconds: it only widens the window, and the
     * batches this job already has are never candidates.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    private static final String JSON = "application/json";

    private final String basePath;
    private final URI base;
    private final String apiKey;
    private final List<String> secrets;
    private final HttpTransport transport;
    private final Clock clock;
    private final JsonFactory json = new JsonFactory();
    /**
     * Batches this connection created or adopted: never another create's. The ledger holds them too,
     * but a create retried inside {@link #createBatch} has no ledger at hand.
     */
    private final Set<String> accounted = ConcurrentHashMap.newKeySet();

    public AnthropicProvider(String baseUrl, String apiKey, HttpTransport transport) {
        this(baseUrl, apiKey, transport, Clock.systemUTC());
    }

    /**
     * @param baseUrl   without {@code /v1}, as the SDKs take it; null or blank for {@link #DEFAULT_BASE_URL}
     * @param apiKey    sent as {@code x-api-key}
     * @param transport the job's transport; its rules are already the SDK's
     * @param clock     dates the start of a create, to find it again if its answer is lost
     */
    AnthropicProvider(String baseUrl, String apiKey, HttpTransport transport, Clock clock) {
        URI parsed = URI.create(baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip());
        if (parsed.getScheme() == null || parsed.getHost() == null
                || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))) {
            throw new IllegalArgumentException("base URL must be an absolute http(s) URL: " + parsed);
        }
        if (parsed.getRawQuery() != null) {
            throw new IllegalArgumentException("the Anthropic base URL takes no query: " + parsed);
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // the SDK convention; a /v1 here would be doubled into /v1/v1/messages/batches
        if (path.endsWith("/v1")) {
            throw new IllegalArgumentException("the Anthropic base URL takes no /v1 (this client adds it): " + parsed);
        }
        this.basePath = parsed.getScheme() + "://" + parsed.getRawAuthority() + path;
        this.base = URI.create(basePath);
        String key = Objects.requireNonNull(apiKey, "apiKey").strip();
        // checked here because the JDK's own header check quotes the offending value in its message
        if (key.isEmpty() || key.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c > 0x7E)) {
            throw new IllegalArgumentException("the API key is empty or contains characters not allowed in a header");
        }
        this.apiKey = key;
        this.secrets = List.of(key);
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return AnthropicProfile.NAME;
    }

    /** The requests go inline with the create call. */
    @Override
    public boolean usesUploadedFiles() {
        return false;
    }

    @Override
    public RemoteFile upload(Path requestsFile, String remoteFileName) {
        throw new UnsupportedOperationException("Message Batches take their requests inline; nothing is uploaded");
    }

    @Override
    public Optional<RemoteFile> findUploadedFile(String remoteFileName) {
        return Optional.empty();
    }

    /**
     * {@code POST /v1/messages/batches} with the request file streamed in. Before a retry (an answer
     * lost to a 5xx, a reset or a timeout may follow a batch that was made) it looks for the batch
     * as after a crash, so one call never makes two batches.
     */
    @Override
    public RemoteBatch createBatch(CreateBatch request) throws IOException {
        AnthropicCreateBody body = AnthropicCreateBody.of(Objects.requireNonNull(request.requestsFile(), "requestsFile"));
        URI uri = uri(BATCHES);
        Instant startedAt = clock.instant();
        int[] attempts = {0};
        RemoteBatch batch;
        try {
            batch = batchCall("POST " + uri.getRawPath(), () -> {
                if (attempts[0]++ > 0) {
                    Optional<RemoteBatch> made = findLostCreate(new LostCreate(request, body.requests(), startedAt,
                            Set.of()));
                    if (made.isPresent()) {
                        throw new FoundOnRetry("batch " + made.get().id(), made.get());
                    }
                }
                return request(uri, transport.timeouts().upload(body.bytes()), JSON)
                        .header("Content-Type", JSON)
                        .POST(body.publisher())
                        .build();
            });
        } catch (FoundOnRetry found) {
            batch = found.found(RemoteBatch.class);
        }
        accounted.add(batch.id());
        return batch;
    }


    /** Anthropic keeps no idempotency key with a batch: see {@link #findLostCreate}. */
    @Override
    public Optional<RemoteBatch> findBatch(String idempotencyKey) {
        return Optional.empty();
    }

    /**
     * The batch the lost create made: listed newest first ({@code after_id} paging) back to the
     * intent's time less {@link #CLOCK_SKEW}, it has as many requests as the create sent, was created
     * no later than that create could have been made (its calls and retries all timed out), and is none
     * of the batches this job already has. Of several, the one created nearest the intent. Its
     * custom_ids are those of the shard: the resolver, which joins results by custom_id, checks them
     * when the results arrive.
     */
    @Override
    public Optional<RemoteBatch> findLostCreate(LostCreate lost) throws IOException {
        Instant from = lost.intentAt().minus(CLOCK_SKEW);
        Instant to = lost.intentAt().plus(longestCreate(lost.request().requestsFile())).plus(CLOCK_SKEW);
        Set<String> taken = new HashSet<>(lost.knownBatchIds());
        taken.addAll(accounted);
        List<AnthropicBatch> matches = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String afterId = null;
        pages:
        do {
            AnthropicListPage page = listPage(afterId);
            for (AnthropicBatch batch : page.data()) {
                if (batch.createdAt() != null && batch.createdAt().isBefore(from)) {
                    break pages; // newest first: the rest is older still
                }
                // a batch without a readable created_at cannot be placed in the window
                if (batch.createdAt() != null && !batch.createdAt().isAfter(to) && !taken.contains(batch.id())
                        && batch.requests() == lost.requests()) {
                    matches.add(batch);
                }
            }
            afterId = page.nextAfterId();
            if (afterId != null && !cursors.add(afterId)) {
                throw new IOException("list pagination did not advance (last_id repeated)");
            }
        } while (afterId != null);
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        matches.sort(Comparator.comparing(b -> Duration.between(lost.intentAt(), b.createdAt()).abs()));
        AnthropicBatch chosen = matches.get(0);
        if (matches.size() > 1) {
            LOG.warning(() -> "a create for " + lost.request().requestsFile() + " lost its answer; "
                    + matches.size() + " batches of " + lost.requests() + " requests were created around then ("
                    + matches.stream().map(AnthropicBatch::id).collect(Collectors.joining(", "))
                    + "); taking " + chosen.id() + ", created nearest the intent");
        }
        accounted.add(chosen.id());
        return Optional.of(remote(chosen));
    }

    /** How long after its intent a create can still have made a batch: every try timing out, every wait. */
    private Duration longestCreate(Path requestsFile) throws IOException {
        RetryPolicy policy = transport.policy();
        long bytes = requestsFile != null && Files.isRegularFile(requestsFile) ? Files.size(requestsFile) : 0;
        Duration wait = policy.maxDelay().compareTo(policy.maxRetryAfter()) > 0 ? policy.maxDelay()
                : policy.maxRetryAfter();
        return transport.timeouts().upload(bytes).multipliedBy(policy.maxRetries() + 1L)
                .plus(wait.multipliedBy(policy.maxRetries()));
    }

    @Override
    public RemoteBatch getBatch(String batchId) throws IOException {
        URI uri = uri(BATCHES + "/" + segment(batchId));
        return batchCall("GET " + uri.getRawPath(), () -> request(uri, transport.timeouts().response(), JSON).GET().build());
    }

    /** Answers the batch, {@code canceling}; it ends {@code ended} with whatever results it has. */
    @Override
    public RemoteBatch cancelBatch(String batchId) throws IOException {
        URI uri = uri(BATCHES + "/" + segment(batchId) + "/cancel");
        return batchCall("POST " + uri.getRawPath(), () -> request(uri, transport.timeouts().response(), JSON)
                .POST(BodyPublishers.noBody()).build());
    }

    /**
     * {@code GET <results_url>}, the URL as the batch gave it (§B.2: its path may change), with the
     * SDK's {@code Accept: application/binary}. A URL on another server is refused: the key goes with
     * the request.
     */
    @Override
    public void download(String resultRef, Path target) throws IOException {
        URI uri = base.resolve(Objects.requireNonNull(resultRef, "resultRef").strip());
        if (!sameOrigin(uri, base)) {
            throw new MalformedAnswerException("GET " + uri.getRawPath(), "results_url points to another server ("
                    + uri.getScheme() + "://" + uri.getRawAuthority() + "); the API key is not sent there", null);
        }
        transport.download(() -> request(uri, transport.timeouts().response(), "application/binary").GET().build(),
                target);
    }

    @Override
    public ResultDecoder resultDecoder() {
        return new AnthropicResultDecoder(secrets);
    }

    /** Nothing to release: the JDK 17 HttpClient has no close and frees its threads when unreferenced. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "AnthropicProvider[" + basePath + "]";
    }

    private AnthropicListPage listPage(String afterId) throws IOException {
        URI uri = afterId == null ? uri(BATCHES, "limit", Integer.toString(PAGE_SIZE))
                : uri(BATCHES, "limit", Integer.toString(PAGE_SIZE), "after_id", afterId);
        HttpResult<byte[]> result = transport.send(() -> request(uri, transport.timeouts().response(), JSON).GET().build(),
                BodyHandlers.ofByteArray());
        return parse("GET " + uri.getRawPath(), result.body(), AnthropicListPage::read);
    }

    private RemoteBatch batchCall(String call, HttpTransport.RequestFactory factory) throws IOException {
        HttpResult<byte[]> result = transport.send(factory, BodyHandlers.ofByteArray());
        return remote(parse(call, result.body(), parser -> {
            parser.nextToken();
            return AnthropicBatch.read(parser);
        }));
    }

    private static RemoteBatch remote(AnthropicBatch batch) throws ProviderException {
        try {
            return batch.remote();
        } catch (IllegalArgumentException e) {
            throw new ProviderException(200, "unknown_batch_status", e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Reads a 2xx body; one that does not parse is a malformed answer. */
    private <T> T parse(String call, byte[] body, Reader<T> reader) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            return reader.read(parser);
        } catch (JsonProcessingException e) {
            // without the cause: the parser's own message may quote the text, key included
            throw new MalformedAnswerException(call, SecretHeaders.scrub(e.getOriginalMessage(), secrets), null);
        } catch (IOException e) {
            throw new MalformedAnswerException(call, SecretHeaders.scrub(e.getMessage(), secrets), null);
        }
    }

    /** @param timeout until the answer's headers; the transport watches the body itself */
    private HttpRequest.Builder request(URI uri, Duration timeout, String accept) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("x-api-key", apiKey)
                .header("anthropic-version", API_VERSION)
                .header("Accept", accept)
                .header("User-Agent", UserAgent.VALUE);
    }

    private URI uri(String path, String... queryPairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < queryPairs.length; i += 2) {
            query.append(query.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(queryPairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(queryPairs[i + 1], StandardCharsets.UTF_8));
        }
        return URI.create(basePath + path + (query.length() == 0 ? "" : "?" + query));
    }

    // Ids are opaque; encoding keeps one from reaching another path ("../")
    private static String segment(String id) {
        if (id == null || id.isEmpty() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("not a batch id: '" + id + "'");
        }
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
