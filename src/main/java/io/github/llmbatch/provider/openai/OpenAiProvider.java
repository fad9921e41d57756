package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.HttpResult;
import io.github.llmbatch.provider.FoundOnRetry;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.RetryPolicy;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenAI Files + Batches protocol (also Azure OpenAI's {@code /openai/v1} surface, and its dated
 * surface when the base URL carries {@code ?api-version=…}, which is then added to every call).
 *
 * <p>The idempotency key of a batch is stored in its metadata under {@link #IDEMPOTENCY_METADATA_KEY}
 * and found again by listing batches. Uploaded files are found again by their file name.
 */
public final class OpenAiProvider implements BatchProvider {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    /** The metadata key under which {@link CreateBatch#idempotencyKey()} is stored with the batch. */
    public static final String IDEMPOTENCY_METADATA_KEY = "llm_batch_key";

    public static final String COMPLETION_WINDOW = "24h";

    static final int FILES_PAGE_LIMIT = 10_000;
    static final int BATCHES_PAGE_LIMIT = 100;

    private static final String JSON = "application/json";

    private final String basePath;
    private final String baseQuery;
    private final AuthStyle authStyle;
    private final String authHeader;
    private final String authValue;
    /** What is scrubbed from texts the provider sends back (error messages may quote the key). */
    private final List<String> secrets;
    private final HttpTransport transport;
    private final JsonFactory json = new JsonFactory();

    /** Uses {@link RetryPolicy#DEFAULT}. */
    public OpenAiProvider(String baseUrl, String apiKey, AuthStyle authStyle) {
        this(baseUrl, apiKey, authStyle, new HttpTransport(RetryPolicy.DEFAULT));
    }

    /**
     * @param baseUrl   including {@code /v1} (Azure: {@code https://<resource>.openai.azure.com/openai/v1});
     *                  null or blank for {@link #DEFAULT_BASE_URL}
     * @param apiKey    the key (or, with {@link AuthStyle#BEARER} on Azure, an Entra ID token)
     */
    public OpenAiProvider(String baseUrl, String apiKey, AuthStyle authStyle, HttpTransport transport) {
        URI base = URI.create(baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip());
        if (base.getScheme() == null || base.getHost() == null
                || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
            throw new IllegalArgumentException("base URL must be an absolute http(s) URL: " + base);
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        this.basePath = base.getScheme() + "://" + base.getRawAuthority() + path;
        this.baseQuery = base.getRawQuery();
        this.authStyle = Objects.requireNonNull(authStyle, "authStyle");
        String key = Objects.requireNonNull(apiKey, "apiKey").strip();
        // checked here because the JDK's own header check quotes the offending value in its message
        if (key.isEmpty() || key.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c > 0x7E)) {
            throw new IllegalArgumentException("the API key is empty or contains characters not allowed in a header");
        }
        this.authHeader = authStyle == AuthStyle.BEARER ? "Authorization" : "api-key";
        this.authValue = authStyle == AuthStyle.BEARER ? "Bearer " + key : key;
        this.secrets = List.of(key);
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public boolean usesUploadedFiles() {
        return true;
    }

    /**
     * A retried upload first looks for the file by name (and size): an upload whose answer was lost
     * (a 5xx after the file was stored, a reset connection, a timeout) may have stored it, and a second
     * copy would only clutter the account.
     */
    @Override
    public RemoteFile upload(Path requestsFile, String remoteFileName) throws IOException {
        Objects.requireNonNull(remoteFileName, "remoteFileName");
        if (!Files.isRegularFile(requestsFile)) {
            throw new java.nio.file.NoSuchFileException(requestsFile.toString());
        }
        long size = Files.size(requestsFile);
        MultipartForm form = new MultipartForm()
                .field("purpose", "batch")
                .file("file", remoteFileName, "application/octet-stream", requestsFile);
        int[] attempts = {0};
        HttpResult<byte[]> result;
        try {
            result = transport.send(() -> {
                if (attempts[0]++ > 0) {
                    Optional<RemoteFile> stored = findUploadedFile(remoteFileName)
                            .filter(file -> file.bytes() == size);
                    if (stored.isPresent()) {
                        throw new FoundOnRetry("file " + stored.get().id(), stored.get());
                    }
                }
                return request(uri("/files"), transport.timeouts().upload(size), JSON)
                        .header("Content-Type", form.contentType())
                        .POST(form.publisher())
                        .build();
            }, BodyHandlers.ofByteArray());
        } catch (FoundOnRetry found) {
            return found.found(RemoteFile.class);
        }
        return parse("POST " + uri("/files").getRawPath(), result.body(), parser -> {
            parser.nextToken();
            return FileObjectReader.read(parser);
        });
    }


    /** Lists every {@code purpose=batch} file and returns the newest one with this name. */
    @Override
    public Optional<RemoteFile> findUploadedFile(String remoteFileName) throws IOException {
        RemoteFile newest = null;
        String after = null;
        Set<String> cursors = new HashSet<>();
        while (true) {
            URI uri = after == null
                    ? uri("/files", "purpose", "batch", "limit", Integer.toString(FILES_PAGE_LIMIT))
                    : uri("/files", "purpose", "batch", "limit", Integer.toString(FILES_PAGE_LIMIT), "after", after);
            ListPage<RemoteFile> page = getPage(uri, FileObjectReader::read, RemoteFile::id);
            for (RemoteFile file : page.data()) {
                if (remoteFileName.equals(file.fileName()) && (newest == null || file.createdAt() > newest.createdAt())) {
                    newest = file;
                }
            }
            after = nextCursor(page, cursors);
            if (after == null) {
                return Optional.ofNullable(newest);
            }
        }
    }

    @Override
    public RemoteBatch createBatch(CreateBatch request) throws IOException {
        Objects.requireNonNull(request.inputFileId(), "inputFileId");
        Objects.requireNonNull(request.endpoint(), "endpoint");
        Objects.requireNonNull(request.idempotencyKey(), "idempotencyKey");
        byte[] body = createBody(request);
        int[] attempts = {0};
        try {
            return batchCall("POST " + uri("/batches").getRawPath(), () -> {
                // A create that timed out or got a 5xx may still have made the batch; look before making another.
                if (attempts[0]++ > 0) {
                    Optional<RemoteBatch> existing = findBatch(request.idempotencyKey());
                    if (existing.isPresent()) {
                        throw new FoundOnRetry("batch " + existing.get().id(), existing.get());
                    }
                }
                return request(uri("/batches"), transport.timeouts().response(), JSON)
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofByteArray(body))
                        .build();
            });
        } catch (FoundOnRetry found) {
            return found.found(RemoteBatch.class);
        }
    }


    private byte[] createBody(CreateBatch request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("input_file_id", request.inputFileId());
            generator.writeStringField("endpoint", request.endpoint());
            generator.writeStringField("completion_window", COMPLETION_WINDOW);
            generator.writeObjectFieldStart("metadata");
            generator.writeStringField(IDEMPOTENCY_METADATA_KEY, request.idempotencyKey());
            generator.writeEndObject();
            generator.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Lists batches (newest first on openai.com) until one carries this key in its metadata. */
    @Override
    public Optional<RemoteBatch> findBatch(String idempotencyKey) throws IOException {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        String after = null;
        Set<String> cursors = new HashSet<>();
        while (true) {
            URI uri = after == null
                    ? uri("/batches", "limit", Integer.toString(BATCHES_PAGE_LIMIT))
                    : uri("/batches", "limit", Integer.toString(BATCHES_PAGE_LIMIT), "after", after);
            ListPage<RemoteBatch> page = getPage(uri, BatchObjectReader::read, RemoteBatch::id);
            for (RemoteBatch batch : page.data()) {
                if (idempotencyKey.equals(batch.idempotencyKey())) {
                    return Optional.of(redacted(batch));
                }
            }
            after = nextCursor(page, cursors);
            if (after == null) {
                return Optional.empty();
            }
        }
    }

    @Override
    public RemoteBatch getBatch(String batchId) throws IOException {
        URI uri = uri("/batches/" + segment(batchId));
        return batchCall("GET " + uri.getRawPath(), () -> request(uri, transport.timeouts().response(), JSON).GET().build());
    }

    @Override
    public RemoteBatch cancelBatch(String batchId) throws IOException {
        URI uri = uri("/batches/" + segment(batchId) + "/cancel");
        return batchCall("POST " + uri.getRawPath(), () -> request(uri, transport.timeouts().response(), JSON)
                .POST(BodyPublishers.noBody())
                .build());
    }

    @Override
    public void download(String resultRef, Path target) throws IOException {
        Objects.requireNonNull(resultRef, "resultRef");
        transport.download(() -> request(uri("/files/" + segment(resultRef) + "/content"),
                transport.timeouts().response(), "application/binary").GET().build(), target);
    }

    /** A new decoder per call; each decoder is for one thread. */
    @Override
    public ResultDecoder resultDecoder() {
        return new OpenAiResultDecoder(secrets);
    }

    /** Nothing to release: the JDK 17 HttpClient has no close and frees its threads when unreferenced. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + basePath + ", " + authStyle + "]";
    }

    private RemoteBatch batchCall(String call, HttpTransport.RequestFactory factory) throws IOException {
        HttpResult<byte[]> result = transport.send(factory, BodyHandlers.ofByteArray());
        return redacted(parse(call, result.body(), parser -> {
            parser.nextToken();
            return BatchObjectReader.read(parser);
        }));
    }

    private <T> ListPage<T> getPage(URI uri, ListPage.ItemReader<T> reader, java.util.function.Function<T, String> idOf)
            throws IOException {
        HttpResult<byte[]> result = transport.send(() -> request(uri, transport.timeouts().response(), JSON).GET().build(),
                BodyHandlers.ofByteArray());
        return parse("GET " + uri.getRawPath(), result.body(), parser -> ListPage.read(parser, reader, idOf));
    }

    /** Reads a 2xx body; one that does not parse, or lacks what every such object has, is a malformed answer. */
    private <T> T parse(String call, byte[] body, ListPage.ItemReader<T> reader) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            return reader.read(parser);
        } catch (JsonProcessingException e) {
            // without the cause: the parser's own message may quote the text, key included
            throw new MalformedAnswerException(call, SecretHeaders.scrub(e.getOriginalMessage(), secrets)
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), null);
        } catch (ProviderException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedAnswerException(call, SecretHeaders.scrub(e.getMessage(), secrets), null);
        }
    }

    /** The batch with its error texts scrubbed of the key: they are printed, and stored in the ledger. */
    private RemoteBatch redacted(RemoteBatch batch) {
        if (batch.errors().isEmpty()) {
            return batch;
        }
        List<BatchError> errors = new ArrayList<>(batch.errors().size());
        for (BatchError error : batch.errors()) {
            errors.add(new BatchError(SecretHeaders.scrub(error.code(), secrets),
                    SecretHeaders.scrub(error.message(), secrets), error.line()));
        }
        return new RemoteBatch(batch.id(), batch.state(), batch.rawStatus(), batch.total(), batch.completed(),
                batch.failed(), batch.outputRef(), batch.errorRef(), errors, batch.idempotencyKey());
    }

    // A server that repeats a cursor would otherwise keep us paging forever.
    private static String nextCursor(ListPage<?> page, Set<String> seen) throws IOException {
        if (!page.hasMore()) {
            return null;
        }
        if (page.nextCursor() == null || !seen.add(page.nextCursor())) {
            throw new IOException("list pagination did not advance (has_more without a new last_id)");
        }
        return page.nextCursor();
    }

    /** @param timeout until the answer's headers; the transport watches the body itself */
    private HttpRequest.Builder request(URI uri, Duration timeout, String accept) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(authHeader, authValue)
                .header("Accept", accept)
                .header("User-Agent", UserAgent.VALUE);
    }

    /** {@code path} under the base URL, with the base's own query (Azure api-version) and these pairs. */
    URI uri(String path, String... queryPairs) {
        StringBuilder query = new StringBuilder(baseQuery == null ? "" : baseQuery);
        for (int i = 0; i + 1 < queryPairs.length; i += 2) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(URLEncoder.encode(queryPairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(queryPairs[i + 1], StandardCharsets.UTF_8));
        }
        return URI.create(basePath + path + (query.length() == 0 ? "" : "?" + query));
    }

    // Ids are opaque; encoding keeps one from reaching another path ("../").
    private static String segment(String id) {
        if (id.isEmpty() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("not an id: '" + id + "'");
        }
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
