package io.github.llmbatch.emulator;

/**
 * An API call answered with an error status and the standard body
 * {@code {"error":{"message","type","param","code"}}}.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiException(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    static ApiException invalidRequest(String message, String param) {
        return new ApiException(400, "invalid_request_error", message, param, null);
    }

    static ApiException notFound(String message, String param) {
        return new ApiException(404, "invalid_request_error", message, param, null);
    }

    /** The body OpenAI sends for this status when the emulator injects it. */
    static ApiException injected(int status) {
        return switch (status) {
            case 429 -> new ApiException(429, "requests",
                    "[emulated] Rate limit reached for requests (injected fault).", null, "rate_limit_exceeded");
            case 400 -> new ApiException(400, "invalid_request_error",
                    "[emulated] Bad request (injected fault).", null, null);
            default -> new ApiException(status, status >= 500 ? "server_error" : "invalid_request_error",
                    "[emulated] The server had an error while processing your request (injected fault, HTTP "
                            + status + ").", null, null);
        };
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }
}
