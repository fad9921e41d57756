package io.github.llmbatch.merge;

/** What a request's result means for the job. */
public enum Outcome {
    /** Done and answered. */
    SUCCEEDED,
    /** Failed in a way another attempt may fix: throttled, server error, expired, timed out, never answered. */
    RETRYABLE,
    /** Failed for a reason in the request itself (a 4xx other than 408/429); retrying would fail again. */
    PERMANENT;

    /** Error codes of requests that never ran (OpenAI's error-file codes). */
    public static final String BATCH_EXPIRED = "batch_expired";
    public static final String BATCH_CANCELLED = "batch_cancelled";
    public static final String REQUEST_TIMEOUT = "request_timeout";
    /** Our code for a request the provider returned no line for at all. */
    public static final String MISSING_RESULT = "missing_result";
    /** Our code for a request whose result line did not parse, even in a fresh download. */
    public static final String MALFORMED_RESULT = "malformed_result";

    /**
     * @param executed      whether the request ran (it has an HTTP status)
     * @param httpStatus    the request's HTTP status when it ran
     * @param errorCode     the provider's error code, for requests that did not run
     * @param cancelledByUs whether this job cancelled the batch (then cancelled lines stay failed)
     */
    public static Outcome classify(boolean executed, int httpStatus, String errorCode, boolean cancelledByUs) {
        if (executed) {
            if (httpStatus >= 200 && httpStatus < 300) {
                return SUCCEEDED;
            }
            return httpStatus == 408 || httpStatus == 429 || httpStatus >= 500 ? RETRYABLE : PERMANENT;
        }
        if (BATCH_CANCELLED.equals(errorCode) && cancelledByUs) {
            return PERMANENT;
        }
        // It never ran, so trying again cannot pay twice.
        return RETRYABLE;
    }
}
