package io.github.llmbatch.provider.gemini;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GeminiRetryRulesTest {

    private static Optional<Duration> delay(String body) {
        return GeminiRetryRules.INSTANCE.requestedDelay(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String withDetails(String details) {
        return "{\"error\":{\"code\":429,\"message\":\"m\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[" + details + "]}}";
    }

    @Test
    void readsTheRetryInfoDetailWhereverItIs() {
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                delay(withDetails("{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"30s\"}")));
        assertEquals(Optional.of(Duration.ofMillis(2_250)), delay(withDetails(
                "{\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"url\":\"u\"}]},"
                        + "{\"retryDelay\":\"2.25s\",\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\"}")));
        assertEquals(Optional.of(Duration.ofNanos(1)),
                delay(withDetails("{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"0.000000001s\"}")));
    }

    @Test
    void nothingUsableIsNoDelay() {
        assertEquals(Optional.empty(), delay(""));
        assertEquals(Optional.empty(), delay("<html>Bad Gateway</html>"));
        assertEquals(Optional.empty(), delay("{\"error\":{\"code\":503,\"message\":\"m\"}}"));
        assertEquals(Optional.empty(), delay(withDetails("{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"soon\"}")));
        assertEquals(Optional.empty(), delay(withDetails("{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"-5s\"}")));
        assertEquals(Optional.empty(), delay(withDetails("{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"retryDelay\":\"5s\"}")),
                "only a RetryInfo names a wait");
        assertEquals(Optional.empty(), GeminiRetryRules.INSTANCE.requestedDelay(null));
    }

    @Test
    void retriesWhatTheSdkRetries() {
        for (int status = 100; status < 600; status++) {
            boolean expected = status == 408 || status == 429 || status == 500 || status == 502 || status == 503
                    || status == 504;
            assertEquals(expected, GeminiRetryRules.INSTANCE.retryable(status), Integer.toString(status));
        }
    }
}
