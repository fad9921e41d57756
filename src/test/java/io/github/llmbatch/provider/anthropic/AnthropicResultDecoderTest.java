package io.github.llmbatch.provider.anthropic;

import io.github.llmbatch.provider.Outcome;
import io.github.llmbatch.provider.ResultLine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnthropicResultDecoderTest {

    private final AnthropicResultDecoder decoder = new AnthropicResultDecoder(List.of("sk-ant-secret"));
    private final AnthropicProfile profile = new AnthropicProfile();

    private ResultLine decode(String line) {
        byte[] bytes = ("  " + line + " ").getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 2, bytes.length - 3);
    }

    private static String errored(String id, String type) {
        return "{\"custom_id\":\"" + id + "\",\"result\":{\"type\":\"errored\",\"error\":{\"type\":\"error\",\"error\":"
                + "{\"type\":\"" + type + "\",\"message\":\"went wrong, key sk-ant-secret\"},\"request_id\":\"req_1\"}}}";
    }

    @Test
    void succeededJoinsTheTextBlocksAndKeepsTheUsage() {
        ResultLine r = decode("{\"custom_id\":\"doc-001\",\"result\":{\"type\":\"succeeded\",\"message\":{\"id\":\"msg_01X\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[{\"type\":\"thinking\","
                + "\"thinking\":\"hmm\"},{\"type\":\"text\",\"text\":\"A short \"},{\"type\":\"tool_use\",\"id\":\"t\","
                + "\"name\":\"n\",\"input\":{}},{\"type\":\"text\",\"text\":\"summary \\\"ü\\\".\"}],\"stop_reason\":"
                + "\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":40,\"output_tokens\":6}}}}");
        assertEquals(new ResultLine("doc-001", ResultLine.Kind.SUCCEEDED, 200, null, null,
                "\"A short summary \\\"ü\\\".\"", "{\"input_tokens\":40,\"output_tokens\":6}"), r);
        assertEquals(Outcome.SUCCEEDED, profile.outcomeOf(r, false));
    }

    @Test
    void aMessageWithoutTextHasNullContent() {
        ResultLine r = decode("{\"result\":{\"message\":{\"content\":[]},\"type\":\"succeeded\"},\"custom_id\":\"k\"}");
        assertEquals("null", r.contentJson());
        assertEquals("k", r.customId());
    }

    @Test
    void erroredCarriesTheErrorTypeAndIsClassifiedByIt() {
        ResultLine invalid = decode(errored("a", "invalid_request_error"));
        assertEquals(new ResultLine("a", ResultLine.Kind.HTTP_ERROR, 400, "invalid_request_error",
                "went wrong, key [redacted]", null, null), invalid, "the key scrubbed from the message");
        assertEquals(Outcome.PERMANENT, profile.outcomeOf(invalid, false));
        for (String retryable : List.of("overloaded_error", "api_error", "rate_limit_error", "timeout_error")) {
            assertEquals(Outcome.RETRYABLE, profile.outcomeOf(decode(errored("b", retryable)), false), retryable);
        }
        for (String permanent : List.of("authentication_error", "permission_error", "not_found_error",
                "request_too_large", "billing_error")) {
            assertEquals(Outcome.PERMANENT, profile.outcomeOf(decode(errored("c", permanent)), false), permanent);
        }
        assertEquals(529, decode(errored("d", "overloaded_error")).httpStatus());
    }

    @Test
    void canceledAndExpiredNeverRanAndGoIntoTheNextAttemptUnlessWeCancelled() {
        ResultLine canceled = decode("{\"custom_id\":\"doc-003\",\"result\":{\"type\":\"canceled\"}}");
        ResultLine expired = decode("{\"custom_id\":\"doc-004\",\"result\":{\"type\":\"expired\"}}");
        assertEquals(ResultLine.Kind.NOT_EXECUTED, canceled.kind());
        assertEquals("canceled", canceled.errorCode());
        assertEquals("expired", expired.errorCode());
        assertEquals(Outcome.RETRYABLE, profile.outcomeOf(canceled, false));
        assertEquals(Outcome.RETRYABLE, profile.outcomeOf(expired, false));
        assertEquals(Outcome.PERMANENT, profile.outcomeOf(canceled, true));
        assertEquals(Outcome.RETRYABLE, profile.outcomeOf(expired, true));
    }

    @Test
    void linesThatAreNotResultLinesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> decode("{\"custom_id\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"result\":{\"type\":\"expired\"}}"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"custom_id\":\"a\",\"result\":{\"type\":\"odd\"}}"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"custom_id\":\"a\",\"result\":{\"type\":\"expired\"}"));
        byte[] line = errored("only-the-id", "api_error").getBytes(StandardCharsets.UTF_8);
        assertEquals("only-the-id", decoder.customIdOf(line, 0, line.length));
    }
}
