package io.github.llmbatch.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Entry point of every call: strips the API prefix ({@code /v1}, Azure's {@code /openai/v1}, or the
 * dated Azure {@code /openai}: batch calls below these two reach the Azure service), checks the API key,
 * injects HTTP faults, routes, and turns errors into
 * the standard error body. Gemini's paths ({@code /v1beta/…}, {@code /upload/v1beta/…},
 * {@code /download/v1beta/…}) go to {@link GeminiApi}, with Google's key header and error shape;
 * Anthropic's ({@code /v1/messages/batches…}) to {@link AnthropicApi}, with its headers and error shape.
 * {@code GET /_emulator/stats} needs no key.
 */
final class ApiHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final String AZURE_PREFIX = "/openai/";
    private static final List<String> PREFIXES = List.of("/openai/v1", "/v1", "/openai");
    static final String STATS_PATH = "/_emulator/stats";

    private final FilesEndpoint filesApi;
    private final BatchesEndpoint batchesApi;
    private final BatchesEndpoint azureBatchesApi;
    private final GeminiApi geminiApi;
    private AnthropicApi anthropicApi;
    private final FaultInjector faults;
    private final LiveStats stats;

    /** @param azureBatchesApi the batches of the Azure paths ({@code /openai/…}) */
    ApiHandler(FilesEndpoint filesApi, BatchesEndpoint batchesApi, BatchesEndpoint azureBatchesApi,
               GeminiApi geminiApi, FaultInjector faults, LiveStats stats) {
        this.filesApi = filesApi;
        this.batchesApi = batchesApi;
        this.azureBatchesApi = azureBatchesApi;
        this.geminiApi = geminiApi;
        this.faults = faults;
        this.stats = stats;
    }

    /** Serves the Message Batches paths ({@link AnthropicApi}) too. */
    ApiHandler withAnthropic(AnthropicApi api) {
        this.anthropicApi = api;
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) {
        String rawPath = exchange.getRequestURI().getPath();
        if (rawPath.length() > 1 && rawPath.endsWith("/")) {
            rawPath = rawPath.substring(0, rawPath.length() - 1);
        }
        boolean gemini = GeminiApi.serves(rawPath);
        boolean anthropic = anthropicApi != null && AnthropicApi.serves(rawPath);
        ApiExchange call = new ApiExchange(exchange, gemini || anthropic ? rawPath : belowPrefix(rawPath), gemini,
                anthropic);
        try {
            if (call.path().equals(STATS_PATH) || rawPath.equals(STATS_PATH)) {
                requireMethod(call, "GET");
                call.drainBody();
                call.sendJson(200, stats.toJson());
                return;
            }
            if (anthropic) {
                anthropicApi.serve(call);
                return;
            }
            if (gemini) {
                if (!GeminiApi.isUploadSession(call) && !googleAuthenticated(call)) {
                    // what Google answers a call without any key
                    throw ApiException.google(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers"
                            + " (callers without established identity). Please use API Key or other form of API"
                            + " consumer identity to call this API.");
                }
                dispatchGemini(call);
                return;
            }
            if (!authenticated(call)) {
                throw new ApiException(401, "invalid_request_error",
                        "You didn't provide an API key. Send 'Authorization: Bearer <key>' or 'api-key: <key>'.",
                        null, "invalid_api_key");
            }
            dispatch(call, rawPath.startsWith(AZURE_PREFIX) ? azureBatchesApi : batchesApi);
        } catch (ApiException.ConnectionDropped e) {
            // closing an exchange that has sent no headers closes its connection: the client sees no answer
            LOG.log(Level.DEBUG, "injected fault: closing the connection of " + rawPath + " unanswered");
        } catch (ApiException e) {
            answerError(call, e);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "emulator failed on " + exchange.getRequestMethod() + " " + rawPath, e);
            answerError(call, new ApiException(500, "server_error", "[emulated] internal emulator error: "
                    + e.getClass().getSimpleName(), null, null));
        } finally {
            call.close();
        }
    }

    private void dispatch(ApiExchange call, BatchesEndpoint batchesApi) throws IOException {
        String[] segments = call.path().substring(1).split("/", -1);
        String method = call.method();
        String collection = segments[0];
        ApiRoute route;
        String id = segments.length > 1 ? segments[1] : null;
        if (collection.equals("files") && segments.length == 1) {
            route = pick(call, "POST", ApiRoute.UPLOAD, "GET", ApiRoute.LIST_FILES);
        } else if (collection.equals("files") && segments.length == 2) {
            route = pick(call, "GET", ApiRoute.RETRIEVE_FILE, "DELETE", ApiRoute.DELETE_FILE);
        } else if (collection.equals("files") && segments.length == 3 && segments[2].equals("content")) {
            route = pick(call, "GET", ApiRoute.FILE_CONTENT, null, null);
        } else if (collection.equals("batches") && segments.length == 1) {
            route = pick(call, "POST", ApiRoute.CREATE_BATCH, "GET", ApiRoute.LIST_BATCHES);
        } else if (collection.equals("batches") && segments.length == 2) {
            route = pick(call, "GET", ApiRoute.RETRIEVE_BATCH, null, null);
        } else if (collection.equals("batches") && segments.length == 3 && segments[2].equals("cancel")) {
            route = pick(call, "POST", ApiRoute.CANCEL_BATCH, null, null);
        } else {
            throw new ApiException(404, "invalid_request_error", "Invalid URL (" + call.method() + " "
                    + call.path() + ")", null, null);
        }
        int injected = faults.nextHttpFault(route);
        if (injected != 0) {
            throw ApiException.injected(injected);
        }
        switch (route) {
            case UPLOAD -> filesApi.upload(call);
            case LIST_FILES -> filesApi.list(call);
            case RETRIEVE_FILE -> filesApi.retrieve(call, id);
            case FILE_CONTENT -> filesApi.content(call, id);
            case DELETE_FILE -> filesApi.delete(call, id);
            case CREATE_BATCH -> batchesApi.create(call);
            case LIST_BATCHES -> batchesApi.list(call);
            case RETRIEVE_BATCH -> batchesApi.retrieve(call, id);
            case CANCEL_BATCH -> batchesApi.cancel(call, id);
            default -> throw new IllegalStateException(route.name());
        }
    }

    private void dispatchGemini(ApiExchange call) throws IOException {
        GeminiApi.Call resolved = geminiApi.resolve(call);
        int injected = faults.nextHttpFault(resolved.route());
        if (injected != 0) {
            throw ApiException.injected(injected);
        }
        resolved.action().run();
    }

    /** Gemini's key: header {@code x-goog-api-key} or query parameter {@code key}, any non-empty value. */
    private static boolean googleAuthenticated(ApiExchange call) {
        String header = call.header("x-goog-api-key");
        String query = call.query("key");
        return header != null && !header.isBlank() || query != null && !query.isBlank();
    }

    private static ApiRoute pick(ApiExchange call, String method1, ApiRoute route1, String method2, ApiRoute route2) {
        if (call.method().equals(method1)) {
            return route1;
        }
        if (call.method().equals(method2)) {
            return route2;
        }
        throw new ApiException(405, "invalid_request_error", "Method " + call.method() + " is not allowed on "
                + call.path() + ".", null, null);
    }

    private static void requireMethod(ApiExchange call, String method) {
        if (!call.method().equals(method)) {
            throw new ApiException(405, "invalid_request_error", "Method " + call.method() + " is not allowed on "
                    + call.path() + ".", null, null);
        }
    }

    private static boolean authenticated(ApiExchange call) {
        String authorization = call.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank()) {
            return true;
        }
        String apiKey = call.header("api-key");
        return apiKey != null && !apiKey.isBlank();
    }

    private void answerError(ApiExchange call, ApiException error) {
        if (call.answered()) {
            return; // the body was already under way; the client sees a broken response
        }
        call.drainBody();
        Integer retryAfter = faults.plan().retryAfterSeconds();
        // 529 is Anthropic's "overloaded", which its SDKs retry like a 503
        boolean retryable = retryAfter != null && (error.status() == 429 || error.status() == 503
                || error.status() == 529);
        if (retryable) {
            call.setHeader("Retry-After", Integer.toString(retryAfter));
        }
        try {
            call.sendError(error, retryable ? retryAfter : null);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "client went away before its error answer", e);
        }
    }

    private static String belowPrefix(String path) {
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix + "/")) {
                return path.substring(prefix.length());
            }
        }
        return path;
    }
}
