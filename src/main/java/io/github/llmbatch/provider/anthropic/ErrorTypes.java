package io.github.llmbatch.provider.anthropic;

/**
 * Anthropic's error types and the HTTP statuses they stand for (§B.5). An errored result line
 * carries only the type; the status lets {@link io.github.llmbatch.provider.Outcome#ofHttpStatus}
 * classify the types {@link AnthropicProfile#outcomeOf} does not name.
 */
final class ErrorTypes {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String RATE_LIMIT = "rate_limit_error";
    static final String API = "api_error";
    static final String OVERLOADED = "overloaded_error";

    private ErrorTypes() {
    }

    /** 500 for a type not in the table: an error the service did not classify is its own. */
    static int httpStatus(String type) {
        return switch (type) {
            case INVALID_REQUEST -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "conflict_error" -> 409;
            case "request_too_large" -> 413;
            case RATE_LIMIT -> 429;
            case API -> 500;
            case "timeout_error" -> 504;
            case OVERLOADED -> 529;
            default -> 500;
        };
    }
}
