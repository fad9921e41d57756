package io.github.llmbatch.emulator;

import java.io.IOException;
import java.util.List;

/**
 * The Message Batches paths (BATCH-PROTOCOLS.md §B), served beside OpenAI's and Gemini's on the same server.
 * OpenAI's paths below {@code /v1} have no {@code /messages}, so the path alone tells the protocols apart;
 * {@code ?beta=true} and {@code anthropic-beta} (the SDK's beta calls) are accepted and ignored.
 * <table>
 * <tr><th>call</th><th>route (fault-plan key)</th></tr>
 * <tr><td>{@code POST /v1/messages/batches}</td><td>{@code create} (and {@code createLost})</td></tr>
 * <tr><td>{@code GET /v1/messages/batches/{id}}</td><td>{@code retrieve}</td></tr>
 * <tr><td>{@code GET /v1/messages/batches}</td><td>{@code list}</td></tr>
 * <tr><td>{@code POST /v1/messages/batches/{id}/cancel}</td><td>{@code cancel}</td></tr>
 * <tr><td>{@code DELETE /v1/messages/batches/{id}}</td><td>{@code deleteBatch}</td></tr>
 * <tr><td>{@code GET /v1/messages/batches/{id}/results} (the {@code results_url})</td><td>{@code content}</td></tr>
 * </table>
 *
 * <p>Every call needs a key ({@code x-api-key}, or {@code Authorization: Bearer}, see
 * {@link #authenticated}; else 401 {@code authentication_error}) and a known {@code anthropic-version}
 * ({@link #VERSIONS}; else 400 {@code invalid_request_error}), checked in that order before faults are
 * injected.
 */
final class AnthropicApi {

    static final String BATCHES = "/v1/messages/batches";
    /**
     * The API versions accepted: §B.0's {@code 2023-06-01} (what llm-batch sends), the older
     * {@code 2023-01-01}, and {@code 2026-10-21}, which the official Java SDK 3.14.0 sends.
     */
    static final List<String> VERSIONS = List.of("2023-06-01", "2023-01-01", "2026-10-21");

    private final AnthropicBatchesEndpoint batchesApi;
    private final FaultInjector faults;

    AnthropicApi(AnthropicBatchesEndpoint batchesApi, FaultInjector faults) {
        this.batchesApi = batchesApi;
        this.faults = faults;
    }

    /** Whether a path belongs to the Message Batches API. */
    static boolean serves(String path) {
        return path.equals(BATCHES) || path.startsWith(BATCHES + "/");
    }

    void serve(ApiExchange call) throws IOException {
        if (!authenticated(call)) {
            throw new ApiException(401, "authentication_error", "x-api-key header is required", null, null);
        }
        String version = call.header("anthropic-version");
        if (version == null || version.isBlank()) {
            throw new ApiException(400, "invalid_request_error", "anthropic-version: header is required", null, null);
        }
        if (!VERSIONS.contains(version)) {
            throw new ApiException(400, "invalid_request_error", "anthropic-version: invalid version '" + version
                    + "' (the emulator knows " + String.join(", ", VERSIONS) + ")", null, null);
        }
        String[] segments = call.path().substring(BATCHES.length()).split("/", -1);
        // segments[0] is "" (the path's own end, or what precedes "/{id}")
        String id = segments.length > 1 ? segments[1] : null;
        ApiRoute route;
        if (segments.length == 1) {
            route = on(call, "POST", ApiRoute.CREATE_BATCH, "GET", ApiRoute.LIST_BATCHES);
        } else if (segments.length == 2 && !id.isEmpty()) {
            route = on(call, "GET", ApiRoute.RETRIEVE_BATCH, "DELETE", ApiRoute.DELETE_BATCH);
        } else if (segments.length == 3 && !id.isEmpty() && segments[2].equals("cancel")) {
            route = on(call, "POST", ApiRoute.CANCEL_BATCH, null, null);
        } else if (segments.length == 3 && !id.isEmpty() && segments[2].equals("results")) {
            route = on(call, "GET", ApiRoute.FILE_CONTENT, null, null);
        } else {
            throw new ApiException(404, "not_found_error", "[emulated] Not found: " + call.method() + " "
                    + call.path(), null, null);
        }
        int injected = faults.nextHttpFault(route);
        if (injected != 0) {
            throw ApiException.injected(injected);
        }
        switch (route) {
            case CREATE_BATCH -> batchesApi.create(call);
            case LIST_BATCHES -> batchesApi.list(call);
            case RETRIEVE_BATCH -> batchesApi.retrieve(call, id);
            case DELETE_BATCH -> batchesApi.delete(call, id);
            case CANCEL_BATCH -> batchesApi.cancel(call, id);
            case FILE_CONTENT -> batchesApi.results(call, id);
            default -> throw new IllegalStateException(route.name());
        }
    }

    /**
     * A non-empty {@code x-api-key}, or a non-empty {@code Authorization: Bearer}: §B.0 names it for OAuth
     * tokens, and the official Java SDK 3.14.0 sends its API key that way (any value is accepted).
     */
    private static boolean authenticated(ApiExchange call) {
        String key = call.header("x-api-key");
        if (key != null && !key.isBlank()) {
            return true;
        }
        String authorization = call.header("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank();
    }

    private static ApiRoute on(ApiExchange call, String method1, ApiRoute route1, String method2, ApiRoute route2) {
        if (call.method().equals(method1)) {
            return route1;
        }
        if (call.method().equals(method2)) {
            return route2;
        }
        throw new ApiException(405, "invalid_request_error", "[emulated] Method " + call.method()
                + " is not allowed on " + call.path() + ".", null, null);
    }
}
