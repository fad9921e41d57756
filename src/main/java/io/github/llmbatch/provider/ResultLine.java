package io.github.llmbatch.provider;

/**
 * One request's result, provider-neutral.
 *
 * @param customId     the request's custom_id (Gemini: key)
 * @param kind         what happened
 * @param httpStatus   the HTTP status of the executed request; 0 when it never ran
 * @param errorCode    error code or type, null on success
 * @param errorMessage error message, null on success
 * @param contentJson  chat: the assistant text as a JSON string literal; embeddings: the vector as a
 *                     JSON array; null on failure
 * @param usageJson    the usage object as JSON, or null
 */
public record ResultLine(String customId, Kind kind, int httpStatus, String errorCode, String errorMessage,
                         String contentJson, String usageJson) {

    public enum Kind {
        /** The request ran and succeeded. */
        SUCCEEDED,
        /** The request ran and the endpoint answered with an error status. */
        HTTP_ERROR,
        /** The request never ran: expired, cancelled, timed out (error code says which). */
        NOT_EXECUTED
    }
}
