package io.github.llmbatch.emulator;

/**
 * An API call answered with an error status and the standard body
 * {@code {"error":{"message","type","param","code"}}}; on a Gemini route, the body is Google's
 * {@code {"error":{"code","message","status"}}} instead (see {@link GoogleStatus}).
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

    /** An error of a Gemini call; {@code googleStatus} is the canonical name, e.g. {@code FAILED_PRECONDITION}. */
    static ApiException google(int status, String googleStatus, String message) {
        return new ApiException(status, googleStatus, message, null, null);
    }

    static ApiException google(int status, String message) {
        return google(status, GoogleStatus.nameOf(status), message);
    }

    /** The longest an injected {@code hang} holds a call. */
    static final int HANG_MINUTES = 10;

    /**
     * What to throw for an injected fault: the body OpenAI sends for this status, or for a
     * {@code reset} or {@code hang} (after hanging) a {@link ConnectionDropped}.
     */
    static RuntimeException injected(int status) {
        if (status == FaultPlan.HttpFault.RESET) {
            return new ConnectionDropped();
        }
        if (status == FaultPlan.HttpFault.HANG) {
            try {
                Thread.sleep(java.util.concurrent.TimeUnit.MINUTES.toMillis(HANG_MINUTES));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the emulator is closing
            }
            return new ConnectionDropped();
        }
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

    /** The call ends without an answer: the connection is closed. */
    static final class ConnectionDropped extends RuntimeException {
        ConnectionDropped() {
            super("injected: connection dropped", null, false, false);
        }
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
