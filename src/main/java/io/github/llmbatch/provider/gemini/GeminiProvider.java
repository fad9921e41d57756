package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.HttpResult;
import io.github.llmbatch.provider.FoundOnRetry;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.SecretHeaders;
import io.github.llmbatch.provider.UserAgent;

import java.io.ByteArrayOutputStream;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gemini API Batch Mode (Gemini Developer API, {@code v1beta}; BATCH-PROTOCOLS.md §C): request
 * files go up by resumable upload, a batch is created from one with {@code :batchGenerateContent}
 * (chat) or {@code :asyncBatchEmbedContent} (embeddings), polled, and its responses file downloaded.
 *
 * <p>The idempotency key of a batch is its {@code displayName}, and a batch is found again by
 * listing batches; an uploaded file is found again by its {@code displayName} (the remote file name).
 * Ids are resource names as the API returns them: {@code files/<id>}, {@code batches/<id>}.
 *
 * <p>Retries follow the Google GenAI SDK (see {@link GeminiRetryRules}), on the transport the job
 * built: its timeouts and stop request apply as for every provider.
 */
public final class GeminiProvider implements BatchProvider {

    /** The SDKs' base URL: without the API version, which this provider adds. */
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

    /** How long a batch may stay SUCCEEDED without naming its responses file (see {@link ResponsesFileWait}). */
    public static final Duration DEFAULT_RESPONSES_FILE_WAIT = Duration.ofMinutes(30);

    static final String VERSION = "v1beta";
    /** The Files API's largest page; the batches list takes it too. */
    static final int PAGE_SIZE = 100;
    /** The docs upload batch input as {@code application/jsonl} (§C.1). */
    static final String JSONL = "application/jsonl";

    private static final String JSON = "application/json";
    private static final Pattern VERSIONED_PATH = Pattern.compile(".*/v\\d+(alpha|beta)?\\d*$");

    private final String basePath;
    private final URI base;
    private final String authValue;
    /** What is scrubbed from texts the provider sends back (error messages may quote the key). */
    private final List<String> secrets;
    private final HttpTransport transport;
    private final ResponsesFileWait responsesFileWait;
    private final JsonFactory json = new JsonFactory();

    /** With the system clock and {@link #DEFAULT_RESPONSES_FILE_WAIT}. */
    public GeminiProvider(String baseUrl, String apiKey, HttpTransport transport) {
        this(baseUrl, apiKey, transport, Clock.systemUTC(), DEFAULT_RESPONSES_FILE_WAIT);
    }

    /**
     * @param baseUrl           without a version segment, as the SDKs take it; null or blank for
     *                          {@link #DEFAULT_BASE_URL}
     * @param apiKey            sent as {@code x-goog-api-key}
     * @param transport         the job's transport; this provider applies {@link GeminiRetryRules} to it
     * @param clock             measures how long a responses file is missing
     * @param responsesFileWait how long a SUCCEEDED batch may go without naming its responses file
     */
    public GeminiProvider(String baseUrl, String apiKey, HttpTransport transport, Clock clock,
                          Duration responsesFileWait) {
        URI parsed = URI.create(baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip());
        if (parsed.getScheme() == null || parsed.getHost() == null
                || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))) {
            throw new IllegalArgumentException("base URL must be an absolute http(s) URL: " + parsed);
        }
        if (parsed.getRawQuery() != null) {
            throw new IllegalArgumentException("the Gemini base URL takes no query: " + parsed);
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // the SDK convention; a version here would be doubled into /v1beta/v1beta/…
        if (VERSIONED_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("the Gemini base URL takes no API version (this client adds /"
                    + VERSION + "): " + parsed);
        }
        this.basePath = parsed.getScheme() + "://" + parsed.getRawAuthority() + path;
        this.base = URI.create(basePath);
        String key = Objects.requireNonNull(apiKey, "apiKey").strip();
        // checked here because the JDK's own header check quotes the offending value in its message
        if (key.isEmpty() || key.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c > 0x7E)) {
            throw new IllegalArgumentException("the API key is empty or contains characters not allowed in a header");
        }
        this.authValue = key;
        this.secrets = List.of(key);
        this.transport = Objects.requireNonNull(transport, "transport").withRetryRules(GeminiRetryRules.INSTANCE);
        this.responsesFileWait = new ResponsesFileWait(Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(responsesFileWait, "responsesFileWait"));
    }

    @Override
    public String name() {
        return "gemini";
    }

    @Override
    public boolean usesUploadedFiles() {
        return true;
    }

    /**
     * Resumable upload in one shot (§C.1): a {@code start} call names the file and its size and is
     * answered with a session URL in {@code x-goog-upload-url}; the bytes then go to that URL with
     * {@code upload, finalize}. A retried finalize first looks for the file by name and size: an
     * answer lost after the file was stored (a 5xx, a reset connection, a timeout) may have stored it.
     * A lost start answer stores nothing, so the start is simply retried.
     */
    @Override
    public RemoteFile upload(Path requestsFile, String remoteFileName) throws IOException {
        Objects.requireNonNull(remoteFileName, "remoteFileName");
        if (!Files.isRegularFile(requestsFile)) {
            throw new java.nio.file.NoSuchFileException(requestsFile.toString());
        }
        long size = Files.size(requestsFile);
        URI session = startUpload(remoteFileName, size);
        String call = "POST " + session.getRawPath();
        int[] attempts = {0};
        HttpResult<byte[]> result;
        try {
            result = transport.send(() -> {
                if (attempts[0]++ > 0) {
                    Optional<RemoteFile> stored = findUploadedFile(remoteFileName).filter(file -> file.bytes() == size);
                    if (stored.isPresent()) {
                        throw new FoundOnRetry("file " + stored.get().id(), stored.get());
                    }
                }
                return request(session, transport.timeouts().upload(size), JSON)
                        .header("X-Goog-Upload-Command", "upload, finalize")
                        .header("X-Goog-Upload-Offset", "0")
                        .POST(BodyPublishers.ofFile(requestsFile))
                        .build();
            }, BodyHandlers.ofByteArray());
        } catch (FoundOnRetry found) {
            return found.found(RemoteFile.class);
        }
        Optional<String> status = result.headers().firstValue("x-goog-upload-status");
        if (status.isPresent() && !"final".equalsIgnoreCase(status.get().strip())) {
            throw new MalformedAnswerException(call, "the upload was not finalized (x-goog-upload-status: "
                    + status.get() + ")", null);
        }
        return parse(call, result.body(), GeminiFile::readUploaded);
    }

    private URI startUpload(String displayName, long size) throws IOException {
        URI uri = uri("/upload/" + VERSION + "/files");
        byte[] body = json(generator -> {
            generator.writeObjectFieldStart("file");
            generator.writeStringField("displayName", displayName);
            generator.writeStringField("mimeType", JSONL);
            generator.writeEndObject();
        });
        HttpResult<byte[]> started = transport.send(() -> request(uri, transport.timeouts().response(), JSON)
                .header("X-Goog-Upload-Protocol", "resumable")
                .header("X-Goog-Upload-Command", "start")
                .header("X-Goog-Upload-Header-Content-Length", Long.toString(size))
                .header("X-Goog-Upload-Header-Content-Type", JSONL)
                .header("Content-Type", JSON)
                .POST(BodyPublishers.ofByteArray(body))
                .build(), BodyHandlers.ofByteArray());
        String call = "POST " + uri.getRawPath();
        String url = started.headers().firstValue("x-goog-upload-url")
                .orElseThrow(() -> new MalformedAnswerException(call, "no x-goog-upload-url header", null));
        URI session;
        try {
            session = uri.resolve(url.strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedAnswerException(call, "x-goog-upload-url is not a URL", null);
        }
        // the key goes with the bytes; like a redirect, an upload URL elsewhere does not get it
        if (!sameOrigin(session, base)) {
            throw new MalformedAnswerException(call, "the upload URL points to another server (" + session.getScheme()
                    + "://" + session.getRawAuthority() + "); the API key is not sent there", null);
        }
        return session;
    }


    /** Lists every file and returns the newest one with this display name. */
    @Override
    public Optional<RemoteFile> findUploadedFile(String remoteFileName) throws IOException {
        Objects.requireNonNull(remoteFileName, "remoteFileName");
        RemoteFile newest = null;
        String token = null;
        Set<String> tokens = new HashSet<>();
        do {
            GeminiListPage<RemoteFile> page = listPage("/" + VERSION + "/files", token, "files", GeminiFile::read);
            for (RemoteFile file : page.items()) {
                if (remoteFileName.equals(file.fileName()) && (newest == null || file.createdAt() > newest.createdAt())) {
                    newest = file;
                }
            }
            token = nextToken(page, tokens);
        } while (token != null);
        return Optional.ofNullable(newest);
    }

    /**
     * Creates the batch with {@code displayName} = the idempotency key. Creation is not idempotent at
     * Gemini (§C.2), so a retried create first looks for a batch with that name: a create whose answer
     * was lost may have made it.
     *
     * @param request {@code endpoint} is the job's endpoint path ({@code /v1/chat/completions} →
     *                {@code :batchGenerateContent}, {@code /v1/embeddings} → {@code :asyncBatchEmbedContent});
     *                {@code model} a bare id or {@code models/<id>}; {@code inputFileId} a {@code files/<id>}
     */
    @Override
    public RemoteBatch createBatch(CreateBatch request) throws IOException {
        Objects.requireNonNull(request.inputFileId(), "inputFileId");
        Objects.requireNonNull(request.idempotencyKey(), "idempotencyKey");
        Objects.requireNonNull(request.model(), "model");
        GeminiBatchMethod method = GeminiBatchMethod.forEndpoint(Objects.requireNonNull(request.endpoint(), "endpoint"));
        URI uri = uri("/" + VERSION + "/models/" + segment(GeminiModels.bareId(request.model())) + ":"
                + method.wireName());
        byte[] body = json(generator -> {
            generator.writeObjectFieldStart("batch");
            generator.writeStringField("displayName", request.idempotencyKey());
            generator.writeObjectFieldStart("inputConfig");
            generator.writeStringField("fileName", request.inputFileId());
            generator.writeEndObject();
            generator.writeEndObject();
        });
        int[] attempts = {0};
        try {
            return batchCall("POST " + uri.getRawPath(), () -> {
                if (attempts[0]++ > 0) {
                    Optional<RemoteBatch> existing = findBatch(request.idempotencyKey());
                    if (existing.isPresent()) {
                        throw new FoundOnRetry("batch " + existing.get().id(), existing.get());
                    }
                }
                return request(uri, transport.timeouts().response(), JSON)
                        .header("Content-Type", JSON)
                        .POST(BodyPublishers.ofByteArray(body))
                        .build();
            });
        } catch (FoundOnRetry found) {
            return found.found(RemoteBatch.class);
        }
    }


    /** Lists batches until one has this key as its display name. */
    @Override
    public Optional<RemoteBatch> findBatch(String idempotencyKey) throws IOException {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String path = "/" + VERSION + "/batches";
        String token = null;
        Set<String> tokens = new HashSet<>();
        do {
            GeminiListPage<GeminiBatch> page = listPage(path, token, "operations", GeminiBatch::read);
            for (GeminiBatch batch : page.items()) {
                if (idempotencyKey.equals(batch.displayName())) {
                    return Optional.of(remote(batch, "GET " + path));
                }
            }
            token = nextToken(page, tokens);
        } while (token != null);
        return Optional.empty();
    }

    @Override
    public RemoteBatch getBatch(String batchId) throws IOException {
        URI uri = uri("/" + VERSION + "/" + resource("batches", batchId));
        return batchCall("GET " + uri.getRawPath(), () -> request(uri, transport.timeouts().response(), JSON).GET().build());
    }

    /** {@code :cancel} answers with an empty object (§C.5), so the batch is read afterwards. */
    @Override
    public RemoteBatch cancelBatch(String batchId) throws IOException {
        URI uri = uri("/" + VERSION + "/" + resource("batches", batchId) + ":cancel");
        transport.send(() -> request(uri, transport.timeouts().response(), JSON)
                .POST(BodyPublishers.noBody())
                .build(), BodyHandlers.discarding());
        return getBatch(batchId);
    }

    /** {@code GET /download/v1beta/files/<id>:download?alt=media}, the docs' form (§C.1). */
    @Override
    public void download(String resultRef, Path target) throws IOException {
        Objects.requireNonNull(resultRef, "resultRef");
        URI uri = uri("/download/" + VERSION + "/" + resource("files", resultRef) + ":download", "alt", "media");
        transport.download(() -> request(uri, transport.timeouts().response(), "*/*").GET().build(), target);
    }

    /** A new decoder per call; each decoder is for one thread. */
    @Override
    public ResultDecoder resultDecoder() {
        return new GeminiResultDecoder(secrets);
    }

    /** Nothing to release: the JDK 17 HttpClient has no close and frees its threads when unreferenced. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "GeminiProvider[" + basePath + "]";
    }

    /**
     * The batch as the pipeline sees it. Proto JSON leaves out a state of 0 (UNSPECIFIED), so a
     * missing state is an early one, or FAILED when the operation carries an error.
     */
    private RemoteBatch remote(GeminiBatch batch, String call) throws IOException {
        Optional<BatchState> mapped = batch.state() == null
                ? Optional.of(batch.error() != null ? BatchState.FAILED : BatchState.VALIDATING)
                : GeminiBatch.mapState(batch.state());
        if (mapped.isEmpty()) {
            throw new ProviderException(200, "unknown_batch_status", "batch " + batch.name()
                    + " has an unknown state '" + batch.state() + "'");
        }
        BatchState state = mapped.get();
        if (state == BatchState.COMPLETED && batch.responsesFile() == null) {
            responsesFileWait.stillMissing(batch.name(), batch.state(), call);
            state = BatchState.FINALIZING;
        } else {
            responsesFileWait.settled(batch.name());
        }
        List<BatchError> errors = batch.error() == null ? List.of()
                : List.of(new BatchError(SecretHeaders.scrub(batch.error().code(), secrets),
                SecretHeaders.scrub(batch.error().message(), secrets), null));
        return new RemoteBatch(batch.name(), state, batch.state() == null ? "" : batch.state(), batch.requestCount(),
                batch.successfulCount(), batch.failedCount(), batch.responsesFile(), null, errors, batch.displayName());
    }

    private RemoteBatch batchCall(String call, HttpTransport.RequestFactory factory) throws IOException {
        HttpResult<byte[]> result = transport.send(factory, BodyHandlers.ofByteArray());
        GeminiBatch batch = parse(call, result.body(), parser -> {
            parser.nextToken();
            return GeminiBatch.read(parser);
        });
        return remote(batch, call);
    }

    private <T> GeminiListPage<T> listPage(String path, String token, String itemsKey,
                                           GeminiListPage.ItemReader<T> reader) throws IOException {
        URI uri = token == null ? uri(path, "pageSize", Integer.toString(PAGE_SIZE))
                : uri(path, "pageSize", Integer.toString(PAGE_SIZE), "pageToken", token);
        HttpResult<byte[]> result = transport.send(() -> request(uri, transport.timeouts().response(), JSON).GET().build(),
                BodyHandlers.ofByteArray());
        return parse("GET " + uri.getRawPath(), result.body(), parser -> GeminiListPage.read(parser, itemsKey, reader));
    }

    // A server that repeats a token would otherwise keep us paging forever.
    private static String nextToken(GeminiListPage<?> page, Set<String> seen) throws IOException {
        if (page.nextPageToken() == null) {
            return null;
        }
        if (!seen.add(page.nextPageToken())) {
            throw new IOException("list pagination did not advance (nextPageToken repeated)");
        }
        return page.nextPageToken();
    }

    /** Reads a 2xx body; one that does not parse, or lacks what every such object has, is a malformed answer. */
    private <T> T parse(String call, byte[] body, GeminiListPage.ItemReader<T> reader) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            return reader.read(parser);
        } catch (JsonProcessingException e) {
            // without the cause: the parser's own message may quote the text, key included
            throw new MalformedAnswerException(call, SecretHeaders.scrub(e.getOriginalMessage(), secrets)
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), null);
        } catch (ProviderException | MalformedAnswerException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedAnswerException(call, SecretHeaders.scrub(e.getMessage(), secrets), null);
        }
    }

    @FunctionalInterface
    private interface JsonWriting {
        void write(JsonGenerator generator) throws IOException;
    }

    /** A JSON object with the fields {@code fields} writes. */
    private byte[] json(JsonWriting fields) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            fields.write(generator);
            generator.writeEndObject();
        }
        return out.toByteArray();
    }

    /** @param timeout until the answer's headers; the transport watches the body itself */
    private HttpRequest.Builder request(URI uri, Duration timeout, String accept) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("x-goog-api-key", authValue)
                .header("Accept", accept)
                .header("User-Agent", UserAgent.VALUE);
    }

    /** {@code path} under the base URL with these query pairs. */
    URI uri(String path, String... queryPairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < queryPairs.length; i += 2) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(URLEncoder.encode(queryPairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(queryPairs[i + 1], StandardCharsets.UTF_8));
        }
        return URI.create(basePath + path + (query.length() == 0 ? "" : "?" + query));
    }

    /** {@code collection/<id>} from a resource name or a bare id, the id kept inside its segment. */
    private static String resource(String collection, String nameOrId) {
        String id = nameOrId.startsWith(collection + "/") ? nameOrId.substring(collection.length() + 1) : nameOrId;
        return collection + "/" + segment(id);
    }

    // Ids are opaque; encoding keeps one from reaching another path ("../") or adding a method (":").
    private static String segment(String id) {
        if (id.isEmpty() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("not an id: '" + id + "'");
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
