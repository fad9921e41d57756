package io.github.llmbatch.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP call: its path below the API prefix, its query, and the ways to answer it. */
final class ApiExchange {

    static final String EMULATOR_HEADER = "x-llm-batch-emulator";

    private final HttpExchange exchange;
    private final String path;
    private final Map<String, String> query;
    private final String requestId;
    private final boolean google;
    private final boolean anthropic;
    private boolean answered;

    /** @param google whether errors take Google's shape (a Gemini call) rather than OpenAI's */
    ApiExchange(HttpExchange exchange, String path, boolean google) {
        this(exchange, path, google, false);
    }

    /**
     * @param anthropic whether errors take Anthropic's shape (a Message Batches call); its request id goes
     *                  out as {@code request-id}, the header Anthropic's SDKs read
     */
    ApiExchange(HttpExchange exchange, String path, boolean google, boolean anthropic) {
        this.exchange = exchange;
        this.path = path;
        this.google = google;
        this.anthropic = anthropic;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.requestId = IdGenerator.requestId();
        exchange.getResponseHeaders().set(anthropic ? "request-id" : "x-request-id", requestId);
        exchange.getResponseHeaders().set(EMULATOR_HEADER, "true");
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The path below the API prefix, e.g. {@code /batches/batch_1}. */
    String path() {
        return path;
    }

    String query(String name) {
        return query.get(name);
    }

    /** {@code http://host:port} as the client addressed the server, for URLs in answers. */
    String origin() {
        String host = header("Host");
        if (host == null || host.isBlank()) {
            java.net.InetSocketAddress local = exchange.getLocalAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return "http://" + host;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    InputStream body() {
        return exchange.getRequestBody();
    }

    boolean answered() {
        return answered;
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void sendJson(int status, byte[] json) throws IOException {
        answered = true;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    void sendJson(int status, EmulatorJson.Writer writer) throws IOException {
        sendJson(status, EmulatorJson.render(writer));
    }

    /** @param retryAfterSeconds for a Gemini call, the delay its {@code RetryInfo} detail names, or null */
    void sendError(ApiException error, Integer retryAfterSeconds) throws IOException {
        if (google) {
            sendJson(error.status(), json -> GoogleStatus.writeError(json, error, retryAfterSeconds));
        } else if (anthropic) {
            sendJson(error.status(), json -> AnthropicJson.writeError(json, error, requestId));
        } else {
            sendJson(error.status(), json -> EmulatorJson.writeError(json, error.getMessage(), error.type(),
                    error.param(), error.code()));
        }
    }

    /** Streams a file as the body, never loading it whole. */
    void sendBytes(byte[] content, String contentType) throws IOException {
        answered = true;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    void sendFile(Path file, String contentType) throws IOException {
        answered = true;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        long size = Files.size(file);
        exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
        try (OutputStream out = exchange.getResponseBody()) {
            if (size > 0) {
                Files.copy(file, out);
            }
        }
    }

    /**
     * Reads and discards what is left of the request body, so the client has finished sending before
     * the answer arrives (the JDK server would otherwise close the connection under a large upload).
     */
    void drainBody() {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the client went away; nothing left to answer
        }
    }

    void close() {
        exchange.close();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }
}
