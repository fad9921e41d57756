package io.github.llmbatch.emulator;

import java.io.IOException;

/**
 * The Gemini paths (BATCH-PROTOCOLS.md §C), served beside OpenAI's on the same server:
 * <table>
 * <tr><th>call</th><th>route (fault-plan key)</th></tr>
 * <tr><td>{@code POST /upload/v1beta/files} (start, and the session URL it answers)</td><td>{@code upload}</td></tr>
 * <tr><td>{@code GET /v1beta/files}</td><td>{@code files}</td></tr>
 * <tr><td>{@code GET /v1beta/files/{id}}</td><td>{@code file}</td></tr>
 * <tr><td>{@code DELETE /v1beta/files/{id}}</td><td>{@code delete}</td></tr>
 * <tr><td>{@code GET /v1beta/files/{id}:download?alt=media}, also below {@code /download}</td><td>{@code content}</td></tr>
 * <tr><td>{@code POST /v1beta/models/{model}:batchGenerateContent}, {@code :asyncBatchEmbedContent}</td>
 *     <td>{@code create}</td></tr>
 * <tr><td>{@code GET /v1beta/batches/{id}}</td><td>{@code retrieve}</td></tr>
 * <tr><td>{@code GET /v1beta/batches}</td><td>{@code list}</td></tr>
 * <tr><td>{@code POST /v1beta/batches/{id}:cancel}</td><td>{@code cancel}</td></tr>
 * <tr><td>{@code DELETE /v1beta/batches/{id}}</td><td>{@code deleteBatch}</td></tr>
 * </table>
 */
final class GeminiApi {

    static final String VERSION = "/v1beta";
    private static final String UPLOAD_PREFIX = "/upload" + VERSION;
    private static final String DOWNLOAD_PREFIX = "/download" + VERSION;

    /** What one call does, once its faults are injected. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    /** A call resolved to its route and what serves it. */
    record Call(ApiRoute route, Action action) {
    }

    private final GeminiFilesEndpoint filesApi;
    private final GeminiBatchesEndpoint batchesApi;

    GeminiApi(GeminiFilesEndpoint filesApi, GeminiBatchesEndpoint batchesApi) {
        this.filesApi = filesApi;
        this.batchesApi = batchesApi;
    }

    /** Whether a path belongs to the Gemini API. */
    static boolean serves(String path) {
        return path.startsWith(VERSION + "/") || path.startsWith(UPLOAD_PREFIX + "/")
                || path.startsWith(DOWNLOAD_PREFIX + "/");
    }

    /** The upload session URL carries its own credential (its {@code upload_id}); it needs no API key. */
    static boolean isUploadSession(ApiExchange call) {
        return call.path().startsWith(UPLOAD_PREFIX + "/") && call.query("upload_id") != null;
    }

    Call resolve(ApiExchange call) {
        String path = call.path();
        String method = call.method();
        if (path.equals(UPLOAD_PREFIX + "/files")) {
            return on(call, "POST", ApiRoute.UPLOAD, () -> filesApi.upload(call));
        }
        if (path.startsWith(DOWNLOAD_PREFIX + "/files/")) {
            String id = methodOf(path.substring((DOWNLOAD_PREFIX + "/files/").length()), "download", call);
            return on(call, "GET", ApiRoute.FILE_CONTENT, () -> filesApi.download(call, id));
        }
        if (!path.startsWith(VERSION + "/")) {
            throw notFound(call);
        }
        String rest = path.substring(VERSION.length() + 1);
        if (rest.equals("files")) {
            return on(call, "GET", ApiRoute.LIST_FILES, () -> filesApi.list(call));
        }
        if (rest.equals("batches")) {
            return on(call, "GET", ApiRoute.LIST_BATCHES, () -> batchesApi.list(call));
        }
        if (rest.startsWith("files/") && rest.indexOf('/', 6) < 0) {
            String name = rest.substring(6);
            if (name.contains(":")) {
                String id = methodOf(name, "download", call);
                return on(call, "GET", ApiRoute.FILE_CONTENT, () -> filesApi.download(call, id));
            }
            if (method.equals("DELETE")) {
                return new Call(ApiRoute.DELETE_FILE, () -> filesApi.delete(call, name));
            }
            return on(call, "GET", ApiRoute.RETRIEVE_FILE, () -> filesApi.retrieve(call, name));
        }
        if (rest.startsWith("batches/") && rest.indexOf('/', 8) < 0) {
            String name = rest.substring(8);
            if (name.contains(":")) {
                String id = methodOf(name, "cancel", call);
                return on(call, "POST", ApiRoute.CANCEL_BATCH, () -> batchesApi.cancel(call, id));
            }
            if (method.equals("DELETE")) {
                return new Call(ApiRoute.DELETE_BATCH, () -> batchesApi.delete(call, name));
            }
            return on(call, "GET", ApiRoute.RETRIEVE_BATCH, () -> batchesApi.retrieve(call, name));
        }
        if (rest.startsWith("models/") && rest.indexOf('/', 7) < 0 && rest.contains(":")) {
            String target = rest.substring(7);
            int colon = target.lastIndexOf(':');
            String model = target.substring(0, colon);
            String verb = target.substring(colon + 1);
            if (!model.isEmpty() && (verb.equals(GeminiBatchFormat.GENERATE) || verb.equals(GeminiBatchFormat.EMBED))) {
                return on(call, "POST", ApiRoute.CREATE_BATCH, () -> batchesApi.create(call, model, verb));
            }
        }
        throw notFound(call);
    }

    /** {@code id:verb} → id, when the verb is the expected one. */
    private static String methodOf(String name, String verb, ApiExchange call) {
        if (!name.endsWith(":" + verb) || name.length() == verb.length() + 1) {
            throw notFound(call);
        }
        return name.substring(0, name.length() - verb.length() - 1);
    }

    private static Call on(ApiExchange call, String method, ApiRoute route, Action action) {
        if (!call.method().equals(method)) {
            throw ApiException.google(405, "FAILED_PRECONDITION", "[emulated] Method " + call.method()
                    + " is not allowed on " + call.path() + ".");
        }
        return new Call(route, action);
    }

    private static ApiException notFound(ApiExchange call) {
        return ApiException.google(404, "[emulated] The requested URL " + call.path() + " was not found on this "
                + "server (" + call.method() + ").");
    }
}
