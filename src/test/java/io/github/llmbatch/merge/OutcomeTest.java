package io.github.llmbatch.merge;

import org.junit.jupiter.api.Test;

import static io.github.llmbatch.merge.Outcome.PERMANENT;
import static io.github.llmbatch.merge.Outcome.RETRYABLE;
import static io.github.llmbatch.merge.Outcome.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OutcomeTest {

    @Test
    void executedRequestsByStatus() {
        assertEquals(SUCCEEDED, Outcome.classify(true, 200, null, false));
        assertEquals(SUCCEEDED, Outcome.classify(true, 299, null, true));
        assertEquals(PERMANENT, Outcome.classify(true, 300, null, false));
        assertEquals(PERMANENT, Outcome.classify(true, 400, "invalid_request_error", false));
        assertEquals(PERMANENT, Outcome.classify(true, 401, null, false));
        assertEquals(PERMANENT, Outcome.classify(true, 404, null, false));
        assertEquals(RETRYABLE, Outcome.classify(true, 408, null, false));
        assertEquals(PERMANENT, Outcome.classify(true, 422, null, false));
        assertEquals(RETRYABLE, Outcome.classify(true, 429, "rate_limit_exceeded", false));
        assertEquals(RETRYABLE, Outcome.classify(true, 500, null, false));
        assertEquals(RETRYABLE, Outcome.classify(true, 503, null, true));
    }

    @Test
    void requestsThatNeverRanAreRetriedUnlessWeCancelledThem() {
        assertEquals(RETRYABLE, Outcome.classify(false, 0, Outcome.BATCH_EXPIRED, false));
        assertEquals(RETRYABLE, Outcome.classify(false, 0, Outcome.REQUEST_TIMEOUT, true));
        assertEquals(RETRYABLE, Outcome.classify(false, 0, Outcome.BATCH_CANCELLED, false));
        assertEquals(PERMANENT, Outcome.classify(false, 0, Outcome.BATCH_CANCELLED, true));
        assertEquals(RETRYABLE, Outcome.classify(false, 0, null, false));
    }
}
