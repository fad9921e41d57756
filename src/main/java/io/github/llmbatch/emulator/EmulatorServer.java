package io.github.llmbatch.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local server speaking the OpenAI Files + Batches API (BATCH-PROTOCOLS.md §A) and Gemini Batch Mode
 * (§C, below {@code /v1beta}, see {@link #geminiBaseUrl()}) and Anthropic Message Batches (§B, below
 * {@code /v1/messages/batches}, see {@link #anthropicBaseUrl()}) with a deterministic {@link Responder} and
 * a {@link FaultPlan}. Every answer carries {@code x-llm-batch-emulator: true}
 * and an {@code x-request-id}; it is a test double and says so.
 *
 * <p>Paths are served below {@code /v1} ({@link #baseUrl()}) as OpenAI, and below Azure's {@code /openai/v1}
 * ({@link #azureBaseUrl()}) and {@code /openai} as Azure OpenAI (§A.11, see {@link AzureBatchFormat}): the
 * two services share the uploaded files but each sees only its own batches. Any non-empty
 * {@code Authorization: Bearer} or {@code api-key} header is accepted.
 * {@code GET /_emulator/stats} answers the {@link EmulatorStats} as JSON for tests in other processes.
 *
 * <p>All its threads are daemon threads: an emulator never keeps a JVM alive.
 */
public final class EmulatorServer implements AutoCloseable {

    private static final int HTTP_THREADS = 16;

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final BatchEngine engine;
    private final LiveStats stats;
    private final Path storageDir;
    private final boolean ownsStorage;
    private final URI baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmulatorServer(HttpServer server, ExecutorService httpThreads, BatchEngine engine, LiveStats stats,
                           Path storageDir, boolean ownsStorage, String host) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.engine = engine;
        this.stats = stats;
        this.storageDir = storageDir;
        this.ownsStorage = ownsStorage;
        this.baseUrl = URI.create("http://" + urlHost(host) + ":" + server.getAddress().getPort() + "/v1");
    }

    /** Starts an emulator; it serves until {@link #close()}. */
    public static EmulatorServer start(EmulatorConfig config) throws IOException {
        FaultPlan plan = config.faults();
        EmulatorTimings timings = plan.applyTo(config.timings());
        EmulatorLimits limits = plan.applyTo(config.limits());
        boolean ownsStorage = config.storageDir() == null;
        Path storage = ownsStorage ? Files.createTempDirectory("llm-batch-emulator-") : config.storageDir();
        FileStore files = new FileStore(storage);
        BatchRegistry batches = new BatchRegistry();
        LiveStats stats = new LiveStats(batches);
        FaultInjector faults = new FaultInjector(plan);
        BatchEngine engine = new BatchEngine(faults, timings, limits, stats);
        GeminiBatchFormat gemini = new GeminiBatchFormat(new FileStore(storage.resolve("gemini")));
        GeminiApi geminiApi = new GeminiApi(new GeminiFilesEndpoint(gemini.files(), faults, limits, stats),
                new GeminiBatchesEndpoint(batches, engine, gemini, faults));
        OpenAiBatchFormat openAi = new OpenAiBatchFormat(files);
        AnthropicBatchFormat anthropic = new AnthropicBatchFormat(storage.resolve("anthropic"), stats);
        AnthropicApi anthropicApi = new AnthropicApi(new AnthropicBatchesEndpoint(batches, engine, anthropic, faults,
                stats, AnthropicLimits.maxRequests(limits), AnthropicLimits.maxBytes(limits)), faults);
        ApiHandler handler = new ApiHandler(new FilesEndpoint(files, faults, limits, stats),
                new BatchesEndpoint(batches, engine, files, faults, openAi),
                new BatchesEndpoint(batches, engine, files, faults, new AzureBatchFormat(openAi)),
                geminiApi, faults, stats)
                .withAnthropic(anthropicApi);

        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
        } catch (IOException e) {
            engine.close();
            if (ownsStorage) {
                deleteTree(storage);
            }
            throw e;
        }
        ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS,
                BatchEngine.daemonThreads("llm-batch-emulator-http-"));
        server.createContext("/", handler);
        server.setExecutor(httpThreads);
        startAsDaemon(server);
        return new EmulatorServer(server, httpThreads, engine, stats, storage, ownsStorage, config.host());
    }

    /** The API base, e.g. {@code http://127.0.0.1:8089/v1}; paths such as {@code /files} go below it. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The Azure OpenAI base, e.g. {@code http://127.0.0.1:8089/openai/v1}, as a resource's {@code /openai/v1}. */
    public URI azureBaseUrl() {
        return baseUrl.resolve("/openai/v1");
    }

    /**
     * The Gemini API base as the Google SDKs take it, without a version segment, e.g.
     * {@code http://127.0.0.1:8089}; the emulator serves {@code /v1beta/…} below it. Any non-empty
     * {@code x-goog-api-key} header (or {@code key} query parameter) is accepted.
     */
    public URI geminiBaseUrl() {
        return URI.create(baseUrl.toString().substring(0, baseUrl.toString().length() - "/v1".length()));
    }

    /**
     * The Anthropic API base as its SDKs take it, without a version segment, e.g. {@code http://127.0.0.1:8089};
     * the emulator serves {@code /v1/messages/batches…} below it (BATCH-PROTOCOLS.md §B). It wants a key
     * ({@code x-api-key} or {@code Authorization: Bearer}) and an {@code anthropic-version} (see {@link AnthropicApi}).
     */
    public URI anthropicBaseUrl() {
        return geminiBaseUrl();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public EmulatorStats stats() {
        return stats;
    }

    /** Where files are stored. */
    public Path storageDir() {
        return storageDir;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Stops serving and processing; deletes the storage directory if the emulator created it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        engine.close();
        httpThreads.shutdownNow();
        if (ownsStorage) {
            deleteTree(storageDir);
        }
    }

    @Override
    public String toString() {
        return "EmulatorServer[" + baseUrl + "]";
    }

    /**
     * HttpServer's dispatcher thread inherits daemon status from the thread that starts the server,
     * so starting it from a daemon thread keeps an embedded emulator from holding the JVM open.
     */
    private static void startAsDaemon(HttpServer server) throws IOException {
        Thread starter = new Thread(server::start, "llm-batch-emulator-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
            throw new IOException("interrupted while starting the emulator", e);
        }
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete emulator storage " + root, e);
        }
    }
}
