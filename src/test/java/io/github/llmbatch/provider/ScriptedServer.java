package io.github.llmbatch.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A real JDK HttpServer on 127.0.0.1 that answers from a script and records what it received.
 * Tests use it instead of mocking the HTTP client.
 */
public final class ScriptedServer implements AutoCloseable {

    /** A request as the server saw it. */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The decoded value of a query parameter, or null. */
        public String queryParam(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equals(name)) {
                    return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    /**
     * What to answer. {@link #drop()} closes the connection without any answer; {@link #truncated}
     * announces the whole body but closes the connection after part of it.
     */
    public record Reply(int status, Map<String, String> headers, byte[] body, boolean dropConnection, int sendOnly) {

        public Reply(int status, Map<String, String> headers, byte[] body, boolean dropConnection) {
            this(status, headers, body, dropConnection, -1);
        }

        public static Reply json(int status, String json) {
            return new Reply(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8), false);
        }

        public static Reply text(int status, String text) {
            return new Reply(status, Map.of("Content-Type", "text/html"), text.getBytes(StandardCharsets.UTF_8), false);
        }

        public static Reply bytes(int status, byte[] body) {
            return new Reply(status, Map.of("Content-Type", "application/octet-stream"), body, false);
        }

        public static Reply drop() {
            return new Reply(0, Map.of(), new byte[0], true);
        }

        public static Reply truncated(byte[] body, int sendOnly) {
            return new Reply(200, Map.of("Content-Type", "application/octet-stream"), body, false, sendOnly);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            return new Reply(status, copy, body, dropConnection, sendOnly);
        }
    }

    @FunctionalInterface
    public interface Script {
        Reply answer(Received request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public ScriptedServer(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> handle(exchange, script));
        server.setExecutor(executor);
        server.start();
    }

    /** Answers the given replies in order, one per request; later requests get the last one. */
    public static ScriptedServer sequence(Reply... replies) throws IOException {
        List<Reply> list = List.of(replies);
        int[] next = {0};
        return new ScriptedServer(request -> {
            synchronized (next) {
                Reply reply = list.get(Math.min(next[0], list.size() - 1));
                next[0]++;
                return reply;
            }
        });
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange exchange, Script script) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            URI uri = exchange.getRequestURI();
            Received request = new Received(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
            received.add(request);
            Reply reply = script.answer(request);
            if (reply.dropConnection()) {
                // an exception out of the handler makes the JDK server close the connection unanswered
                throw new IOException("scripted drop");
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.sendOnly() >= 0) {
                OutputStream out = exchange.getResponseBody();
                out.write(reply.body(), 0, reply.sendOnly());
                out.flush();
                throw new IOException("scripted truncation");
            }
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
