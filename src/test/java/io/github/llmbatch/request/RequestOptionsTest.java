package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestOptionsTest {

    @Test
    void membersAreKeptCompactInTheirOrder() {
        RequestOptions o = RequestOptions.parse(" { \"seed\" : 7, \"stop\": [ \"a\\nb\" ], \"thinking\": {\"type\": \"enabled\"} } ");
        assertEquals(",\"seed\":7,\"stop\":[\"a\\nb\"],\"thinking\":{\"type\":\"enabled\"}", o.spliced());
        assertEquals(",\"seed\":7,\"thinking\":{\"type\":\"enabled\"}", o.spliced(Set.of("stop")));
        assertEquals("{\"seed\":7,\"stop\":[\"a\\nb\"],\"thinking\":{\"type\":\"enabled\"}}", o.toString());
        assertEquals("7", o.member("seed"));
        assertTrue(RequestOptions.parse(" ").isEmpty());
    }

    @Test
    void anythingButOneObjectIsRefused() {
        for (String bad : List.of("[1]", "7", "\"seed\"", "{\"seed\":", "{} {}", "{\"a\":1,\"a\":2}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RequestOptions.parse(bad));
            assertTrue(e.getMessage().startsWith("requestOptions "), e.getMessage());
        }
    }

    @Test
    void aKeyLlmBatchSetsIsRefusedByName() {
        RequestOptions o = RequestOptions.parse("{\"seed\":1,\"max_completion_tokens\":5}");
        o.refuseCollisions(List.of("model", "messages"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.refuseCollisions(List.of("model", "max_completion_tokens"), "openai /v1/chat/completions"));
        assertTrue(e.getMessage().startsWith("requestOptions sets 'max_completion_tokens', which llm-batch sets itself"
                + " in openai /v1/chat/completions requests"), e.getMessage());
    }
}
