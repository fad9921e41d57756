package io.github.llmbatch.provider;

import org.junit.jupiter.api.Test;

import static io.github.llmbatch.provider.Outcome.PERMANENT;
import static io.github.llmbatch.provider.Outcome.RETRYABLE;
import static io.github.llmbatch.provider.Outcome.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OutcomeTest {

    @Test
    void executedRequestsByStatus() {
        assertEquals(SUCCEEDED, Outcome.ofHttpStatus(200));
        assertEquals(SUCCEEDED, Outcome.ofHttpStatus(299));
        assertEquals(PERMANENT, Outcome.ofHttpStatus(300));
        assertEquals(PERMANENT, Outcome.ofHttpStatus(400));
        assertEquals(PERMANENT, Outcome.ofHttpStatus(401));
        assertEquals(PERMANENT, Outcome.ofHttpStatus(404));
        assertEquals(RETRYABLE, Outcome.ofHttpStatus(408));
        assertEquals(PERMANENT, Outcome.ofHttpStatus(422));
        assertEquals(RETRYABLE, Outcome.ofHttpStatus(429));
        assertEquals(RETRYABLE, Outcome.ofHttpStatus(500));
        assertEquals(RETRYABLE, Outcome.ofHttpStatus(503));
    }
}
