package io.github.llmbatch.provider;

/**
 * What a request's result means for the job. A provider's profile decides it for its result lines
 * ({@link ProviderProfile#outcomeOf}); the pipeline retries what is retryable and merges the rest.
 */
public enum Outcome {
    /** Done and answered. */
    SUCCEEDED,
    /** Failed in a way another attempt may fix: throttled, server error, expired, timed out, never answered. */
    RETRYABLE,
    /** Failed for a reason in the request itself (a 4xx other than 408/429); retrying would fail again. */
    PERMANENT;

    /** Our code for a request the provider returned no line for at all. */
    public static final String MISSING_RESULT = "missing_result";
    /** Our code for a request whose result line did not parse, even in a fresh download. */
    public static final String MALFORMED_RESULT = "malformed_result";
    /** Our code for an answer that is not JSON or breaks the job's response schema (not retried: it was paid for). */
    public static final String INVALID_OUTPUT = "invalid_output";

    /**
     * The outcome of a request that ran and was answered with this HTTP status: 2xx succeeded;
     * 408, 429 and 5xx retryable; any other status permanent.
     */
    public static Outcome ofHttpStatus(int httpStatus) {
        if (httpStatus >= 200 && httpStatus < 300) {
            return SUCCEEDED;
        }
        return httpStatus == 408 || httpStatus == 429 || httpStatus >= 500 ? RETRYABLE : PERMANENT;
    }
}
