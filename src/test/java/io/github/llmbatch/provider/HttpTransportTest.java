package io.github.llmbatch.provider;

import io.github.llmbatch.provider.ScriptedServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpTransportTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** Records the waits instead of sleeping. */
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final Sleeper recordingSleeper = waits::add;

    private HttpTransport transport(int maxRetries, double jitter) {
        RetryPolicy policy = new RetryPolicy(maxRetries, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));
        return new HttpTransport(HttpTransport.defaultClient(), policy, recordingSleeper,
                Clock.fixed(NOW, ZoneOffset.UTC), () -> jitter);
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer sk-secret-123456").build();
    }

    @Test
    void retriesRateLimitAndServerErrorThenSucceeds() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")
                        .withHeader("Retry-After", "1"),
                Reply.json(503, "{}"),
                Reply.json(200, "{\"ok\":true}"))) {
            HttpResult<String> result = transport(6, 0.5).send(() -> get(server.uri("/v1/batches/b1")), BodyHandlers.ofString());

            assertEquals(200, result.statusCode());
            assertEquals("{\"ok\":true}", result.body());
            assertEquals(3, server.received().size());
            // 1 s as asked, then half (jitter 0.5) of the second back-off ceiling 1000 ms
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofMillis(500)), waits);
        }
    }

    @Test
    void backOffDoublesUpToTheCapWithFullJitter() throws Exception {
        RetryPolicy policy = new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));
        HttpTransport transport = new HttpTransport(HttpTransport.defaultClient(), policy, recordingSleeper,
                Clock.fixed(NOW, ZoneOffset.UTC), () -> 0.999);
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"))) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> transport.send(() -> get(server.uri("/v1/files")), BodyHandlers.ofString()));

            assertEquals(500, e.httpStatus());
            assertEquals("server_error", e.errorCode());
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
            assertEquals(9, server.received().size(), "first attempt + 8 retries");
            List<Long> millis = waits.stream().map(Duration::toMillis).toList();
            assertEquals(List.of(499L, 999L, 1998L, 3996L, 7992L, 15984L, 29970L, 29970L), millis);
        }
    }

    @Test
    void zeroJitterMeansNoWait() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(502, ""), Reply.json(200, "ok"))) {
            transport(3, 0.0).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ZERO), waits);
        }
    }

    @Test
    void retryAfterMillisWinsOverSeconds() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(429, "{}").withHeader("retry-after-ms", "1250").withHeader("Retry-After", "7"),
                Reply.json(200, "ok"))) {
            transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofMillis(1250)), waits);
        }
    }

    @Test
    void retryAfterAsHttpDate() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(42), ZoneOffset.UTC));
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(503, "{}").withHeader("Retry-After", date), Reply.json(200, "ok"))) {
            transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofSeconds(42)), waits);
        }
    }

    @Test
    void retryAfterLongerThanPolicyIsClamped() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(429, "{}").withHeader("Retry-After", "3600"), Reply.json(200, "ok"))) {
            transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofMinutes(2)), waits);
        }
    }

    @Test
    void unparseableRetryAfterFallsBackToBackOff() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(429, "{}").withHeader("Retry-After", "soon"), Reply.json(200, "ok"))) {
            transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofMillis(250)), waits);
        }
    }

    @Test
    void shouldRetryFalseStopsARetryableStatus() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(503, "{\"error\":{\"message\":\"no\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                        .withHeader("x-should-retry", "false"),
                Reply.json(200, "ok"))) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString()));
            assertEquals(503, e.httpStatus());
            assertEquals(1, server.received().size());
            assertTrue(waits.isEmpty());
        }
    }

    @Test
    void shouldRetryTrueRetriesANonRetryableStatus() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(400, "{}").withHeader("x-should-retry", "true"), Reply.json(200, "ok"))) {
            HttpResult<String> result = transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals("ok", result.body());
            assertEquals(2, server.received().size());
        }
    }

    @Test
    void retriesConflictAndRequestTimeout() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(408, "{}"), Reply.json(409, "{}"), Reply.json(200, "ok"))) {
            transport(3, 0.5).send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(3, server.received().size());
        }
    }

    @Test
    void nonRetryableStatusFailsAtOnceWithTheProvidersMessage() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(400,
                "{\"error\":{\"message\":\"Invalid file format for Batch API. Must be .jsonl\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"),
                Reply.json(200, "ok"))) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> transport(3, 0.5).send(() -> get(server.uri("/v1/files")), BodyHandlers.ofString()));
            assertEquals(400, e.httpStatus());
            assertEquals("invalid_request_error", e.errorCode(), "type stands in for a null code");
            assertEquals("GET /v1/files: HTTP 400 invalid_request_error: Invalid file format for Batch API. Must be .jsonl",
                    e.getMessage());
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void errorCodeWinsOverType() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(404,
                "{\"error\":{\"message\":\"No batch with id b9\",\"type\":\"invalid_request_error\",\"param\":\"id\",\"code\":\"not_found\"}}"))) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> transport(3, 0.5).send(() -> get(server.uri("/v1/batches/b9")), BodyHandlers.ofString()));
            assertEquals("not_found", e.errorCode());
        }
    }

    @Test
    void toleratesNonJsonErrorBodies() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.text(502, "<html>\n<body>Bad   gateway</body></html>"))) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> transport(2, 0.5).send(() -> get(server.uri("/v1/files")), BodyHandlers.ofString()));
            assertEquals(502, e.httpStatus());
            assertNull(e.errorCode());
            assertEquals("GET /v1/files: HTTP 502: <html> <body>Bad gateway</body></html> (after 2 retries)", e.getMessage());
            assertEquals(3, server.received().size());
        }
    }

    @Test
    void readsAnthropicAndGeminiErrorShapes() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_1\"}"),
                Reply.json(400, "{\"error\":{\"code\":400,\"message\":\"Request contains an invalid argument.\",\"status\":\"INVALID_ARGUMENT\"}}"))) {
            ProviderException anthropic = assertThrows(ProviderException.class,
                    () -> transport(0, 0.5).send(() -> get(server.uri("/v1/messages/batches")), BodyHandlers.ofString()));
            assertEquals("authentication_error", anthropic.errorCode());
            assertTrue(anthropic.getMessage().endsWith("invalid x-api-key"), anthropic.getMessage());
            ProviderException gemini = assertThrows(ProviderException.class,
                    () -> transport(0, 0.5).send(() -> get(server.uri("/v1beta/batches")), BodyHandlers.ofString()));
            assertEquals("INVALID_ARGUMENT", gemini.errorCode());
            assertEquals(400, gemini.httpStatus());
        }
    }

    @Test
    void droppedConnectionIsRetried() throws Exception {
        // POST, because the JDK client quietly retries an idempotent GET once by itself
        try (ScriptedServer server = ScriptedServer.sequence(Reply.drop(), Reply.json(200, "ok"))) {
            HttpResult<String> result = transport(3, 0.5).send(() -> HttpRequest.newBuilder(server.uri("/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), BodyHandlers.ofString());
            assertEquals("ok", result.body());
            assertEquals(2, server.received().size());
            assertEquals(List.of(Duration.ofMillis(250)), waits);
        }
    }

    @Test
    void refusedConnectionsAreRetriedThenReportedAsIOException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/v1/files");
        AtomicInteger builds = new AtomicInteger();
        IOException e = assertThrows(IOException.class, () -> transport(2, 0.5).send(() -> {
            builds.incrementAndGet();
            return get(nowhere);
        }, BodyHandlers.ofString()));
        assertFalse(e instanceof ProviderException);
        assertEquals(3, builds.get());
        assertEquals(2, waits.size());
        assertTrue(e.getMessage().startsWith("GET /v1/files: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(after 2 retries)"), e.getMessage());
    }

    @Test
    void eachAttemptRebuildsTheRequestAndResendsTheWholeFileBody(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body.jsonl");
        byte[] content = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"b\"}\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        AtomicInteger builds = new AtomicInteger();
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(500, "{}"), Reply.drop(), Reply.json(200, "ok"))) {
            transport(3, 0.1).send(() -> {
                builds.incrementAndGet();
                return HttpRequest.newBuilder(server.uri("/upload")).POST(HttpRequest.BodyPublishers.ofFile(file)).build();
            }, BodyHandlers.ofString());
            assertEquals(3, builds.get());
            for (ScriptedServer.Received r : server.received()) {
                assertEquals(content.length, r.body().length);
            }
        }
    }

    @Test
    void aMissingBodyFileIsNotRetried(@TempDir Path dir) {
        AtomicInteger builds = new AtomicInteger();
        assertThrows(FileNotFoundException.class, () -> transport(3, 0.5).send(() -> {
            builds.incrementAndGet();
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/x"))
                    .POST(HttpRequest.BodyPublishers.ofFile(dir.resolve("missing"))).build();
        }, BodyHandlers.ofString()));
        assertEquals(1, builds.get());
    }

    @Test
    void credentialsNeverReachMessagesOrLogs() throws Exception {
        String key = "sk-live-abcdef0123456789";
        Logger logger = Logger.getLogger(HttpTransport.class.getName());
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        try (ScriptedServer server = ScriptedServer.sequence(
                Reply.json(429, "{}").withHeader("Retry-After", "1"),
                Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key
                        + ". You can find your API key at https://example.invalid.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"))) {
            for (String header : List.of("Authorization", "api-key", "x-api-key", "x-goog-api-key")) {
                String value = header.equals("Authorization") ? "Bearer " + key : key;
                ProviderException e = assertThrows(ProviderException.class, () -> transport(3, 0.5).send(
                        () -> HttpRequest.newBuilder(server.uri("/v1/files?purpose=batch")).header(header, value).GET().build(),
                        BodyHandlers.ofString()));
                assertEquals(401, e.httpStatus());
                assertFalse(e.getMessage().contains(key), e.getMessage());
                assertFalse(e.toString().contains(key), e.toString());
                assertTrue(e.getMessage().contains("Incorrect API key provided: [redacted]"), e.getMessage());
            }
            assertTrue(server.received().stream().allMatch(r -> r.headers().values().stream()
                    .anyMatch(v -> v.get(0).contains(key))), "the key did travel in a header");
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }
        assertFalse(logged.isEmpty());
        assertTrue(logged.stream().anyMatch(line -> line.contains("[redacted]")), String.join("\n", logged));
        for (String line : logged) {
            assertFalse(line.contains(key), line);
        }
    }
}
