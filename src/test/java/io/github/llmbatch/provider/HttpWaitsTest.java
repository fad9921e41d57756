package io.github.llmbatch.provider;

import io.github.llmbatch.provider.RawHttpServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Long waits are shown and a stop ends them: hung calls, stalled bodies, long Retry-After waits,
 * against a real socket that hangs.
 */
class HttpWaitsTest {

    /** The bound the CLI promises for Ctrl-C; generous against 60 s timeouts and 300 s waits. */
    private static final long STOP_BOUND_MILLIS = 2_000;

    private final Logger logger = Logger.getLogger(HttpTransport.class.getName());
    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    @BeforeEach
    void captureLog() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
        logger.setLevel(previousLevel);
    }

    /** A stop request the test sets. */
    static final class Stop implements StopRequest {
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public boolean isStopped() {
            return stopped.getCount() == 0;
        }

        @Override
        public boolean await(Duration timeout) {
            try {
                return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }

    private static HttpTransport transport(HttpTimeouts timeouts, int retries, StopRequest stop) {
        return new HttpTransport(new RetryPolicy(retries, Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMinutes(5)), timeouts, stop);
    }

    private static HttpRequest get(RawHttpServer server, Duration timeout) {
        return HttpRequest.newBuilder(server.uri("/v1/batches/b1")).timeout(timeout).GET().build();
    }

    @Test
    void aHungCallIsReportedWhileItWaitsAndEndsAtItsTimeout() throws Exception {
        try (RawHttpServer server = new RawHttpServer((head, body) -> Answer.HANG)) {
            HttpTimeouts timeouts = HttpTimeouts.of(Duration.ofSeconds(2));
            HttpTransport transport = transport(timeouts, 0, StopRequest.NEVER);
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> transport.send(() -> get(server, timeouts.response()), BodyHandlers.ofString()));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertInstanceOf(HttpTimeoutException.class, e.getCause(), e.toString());
            assertTrue(e.getMessage().contains("GET /v1/batches/b1") && e.getMessage().contains("no answer within 2.0 s"),
                    e.getMessage());
            assertTrue(millis >= 1_900 && millis < 10_000, "ended after " + millis + " ms");
            assertTrue(messages().stream().anyMatch(m -> m.startsWith("GET /v1/batches/b1: waiting for 1.")
                    && m.contains("no answer yet; gives up after 2.0 s")), messages().toString());
        }
    }

    @Test
    void theDefaultTimeoutsReportAHungCallWithinAMinute() {
        HttpTimeouts timeouts = HttpTimeouts.DEFAULT;
        assertEquals(Duration.ofSeconds(60), timeouts.response());
        assertEquals(Duration.ofSeconds(20), timeouts.connect());
        // 200 MB at the slowest tolerated speed: the time to send it, plus the ordinary answer time
        Duration upload = timeouts.upload(200_000_000L);
        assertTrue(upload.compareTo(Duration.ofMinutes(6)) > 0 && upload.compareTo(Duration.ofMinutes(8)) < 0,
                upload.toString());
        assertEquals(Duration.ofSeconds(60), timeouts.upload(0));
    }

    @Test
    void stopEndsAHungCallAtOnce() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        try (RawHttpServer server = new RawHttpServer((head, body) -> {
            arrived.countDown();
            return Answer.HANG;
        })) {
            Stop stop = new Stop();
            HttpTransport transport = transport(HttpTimeouts.DEFAULT, 6, stop);
            CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return transport.send(() -> get(server, Duration.ofSeconds(60)), BodyHandlers.ofString());
                } catch (IOException e) {
                    return e;
                }
            });
            assertTrue(arrived.await(10, TimeUnit.SECONDS));
            long stoppedAt = System.nanoTime();
            stop.stopped.countDown();
            Object outcome = call.get(STOP_BOUND_MILLIS * 5, TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);

            assertInstanceOf(CallStoppedException.class, outcome);
            assertTrue(millis < STOP_BOUND_MILLIS, "the call ended " + millis + " ms after the stop");
            assertEquals(1, server.heads().size(), "no retry after a stop");
        }
    }

    @Test
    void aLongRetryAfterIsShownAndAStopEndsTheWait() throws Exception {
        try (RawHttpServer server = new RawHttpServer((head, body) -> Answer.json(429,
                "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}", "Retry-After: 3600"))) {
            Stop stop = new Stop();
            HttpTransport transport = transport(HttpTimeouts.DEFAULT, 6, stop);
            CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return transport.send(() -> get(server, Duration.ofSeconds(60)), BodyHandlers.ofString());
                } catch (IOException e) {
                    return e;
                }
            });
            String shown = awaitMessage("retry 1 of 6");
            assertEquals("GET /v1/batches/b1: HTTP 429 (the server asked to wait 3600 s (60 min); waiting the longest"
                    + " allowed, 300 s (5 min)); retry 1 of 6 in 300 s (5 min)", shown);
            long stoppedAt = System.nanoTime();
            stop.stopped.countDown();
            Object outcome = call.get(STOP_BOUND_MILLIS * 5, TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);

            assertInstanceOf(CallStoppedException.class, outcome);
            assertTrue(millis < STOP_BOUND_MILLIS, "the wait ended " + millis + " ms after the stop");
            assertEquals(1, server.heads().size());
        }
    }

    @Test
    void aBodyThatStallsAfterItsHeadersIsAbandonedAndRetried() throws Exception {
        int[] calls = {0};
        try (RawHttpServer server = new RawHttpServer((head, body) -> {
            synchronized (calls) {
                return calls[0]++ == 0 ? Answer.stalled(1000, 10) : Answer.json(200, "{\"ok\":true}");
            }
        })) {
            HttpTimeouts timeouts = HttpTimeouts.of(Duration.ofSeconds(1));
            HttpTransport transport = transport(timeouts, 2, StopRequest.NEVER);
            long start = System.nanoTime();
            HttpResult<String> result = transport.send(() -> get(server, timeouts.response()), BodyHandlers.ofString());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals("{\"ok\":true}", result.body());
            assertEquals(2, server.heads().size());
            assertTrue(millis >= 900 && millis < 10_000, "took " + millis + " ms");
            assertTrue(messages().stream().anyMatch(m -> m.contains("the answer stalled: no data for 1.0 s after 10 bytes")),
                    messages().toString());
        }
    }

    @Test
    void anUploadThePeerStopsTakingIsAbandonedLongBeforeItsSizeScaledTimeout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.jsonl");
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
        }
        try (RawHttpServer server = RawHttpServer.notReadingBodies()) {
            HttpTimeouts timeouts = HttpTimeouts.of(Duration.ofSeconds(1));
            HttpTransport transport = transport(timeouts, 0, StopRequest.NEVER);
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> transport.send(() -> HttpRequest.newBuilder(
                            server.uri("/v1/files")).timeout(timeouts.upload(Files.size(file)))
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), BodyHandlers.ofString()));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(timeouts.upload(64L << 20).toSeconds() > 100, "the size-scaled bound is far away");
            assertInstanceOf(HttpTimeoutException.class, e.getCause(), e.toString());
            assertTrue(e.getMessage().contains("the upload stalled: nothing sent for 1.0 s after "), e.getMessage());
            assertTrue(millis < 15_000, "gave up after " + millis + " ms");
        }
    }

    private List<String> messages() {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                    .map(LogRecord::getMessage).toList();
        }
    }

    private String awaitMessage(String part) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String m : messages()) {
                if (m.contains(part)) {
                    return m;
                }
            }
            Thread.sleep(20);
        }
        fail("no log message with '" + part + "': " + messages());
        return null;
    }
}
