package io.github.llmbatch.provider;

import io.github.llmbatch.provider.ScriptedServer.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A provider's {@link RetryRules} on a transport: its statuses, and a wait read from the error body. */
class RetryRulesTest {

    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    /** Retries 429 and 503 only; the body {@code wait=<seconds>} asks for a wait. */
    private static final RetryRules RULES = new RetryRules() {
        @Override
        public boolean retryable(int status) {
            return status == 429 || status == 503;
        }

        @Override
        public Optional<Duration> requestedDelay(byte[] errorBody) {
            String text = new String(errorBody, StandardCharsets.UTF_8);
            return text.startsWith("wait=") ? Optional.of(Duration.ofSeconds(Long.parseLong(text.substring(5))))
                    : Optional.empty();
        }
    };

    private HttpTransport transport() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));
        return new HttpTransport(HttpTransport.defaultClient(), policy, waits::add,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), () -> 0.5).withRetryRules(RULES);
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    @Test
    void theDelayInTheBodyIsHonouredAndClamped() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.text(429, "wait=30"), Reply.text(503, "wait=999"),
                Reply.json(200, "ok"))) {
            transport().send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofSeconds(30), Duration.ofMinutes(2)), waits);
        }
    }

    @Test
    void aRetryAfterHeaderWinsOverTheBody() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.text(429, "wait=30").withHeader("Retry-After", "2"),
                Reply.json(200, "ok"))) {
            transport().send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofSeconds(2)), waits);
        }
    }

    @Test
    void withoutADelayTheBackOffApplies() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.text(503, "busy"), Reply.json(200, "ok"))) {
            transport().send(() -> get(server.uri("/x")), BodyHandlers.ofString());
            assertEquals(List.of(Duration.ofMillis(250)), waits);
        }
    }

    @Test
    void statusesTheRulesDoNotNameAreFinal() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(409, "{}"), Reply.json(200, "ok"))) {
            ProviderException e = assertThrows(ProviderException.class,
                    () -> transport().send(() -> get(server.uri("/x")), BodyHandlers.ofString()));
            assertEquals(409, e.httpStatus());
            assertEquals(1, server.received().size());
        }
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(500, "{}"), Reply.json(200, "ok"))) {
            assertThrows(ProviderException.class, () -> transport().send(() -> get(server.uri("/x")), BodyHandlers.ofString()));
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void theDefaultRulesAreTheHttpOnes() {
        for (int status : new int[] {408, 409, 429, 500, 501, 502, 503, 504, 599}) {
            assertEquals(true, RetryRules.HTTP.retryable(status), Integer.toString(status));
        }
        for (int status : new int[] {400, 401, 403, 404, 422}) {
            assertEquals(false, RetryRules.HTTP.retryable(status), Integer.toString(status));
        }
        assertEquals(Optional.empty(), RetryRules.HTTP.requestedDelay("{}".getBytes(StandardCharsets.UTF_8)));
    }
}
