package io.github.llmbatch.provider.gemini;

import java.util.Locale;
import java.util.Optional;

/**
 * The canonical {@code google.rpc.Code} values with the HTTP status Google maps each to
 * ({@code google/rpc/code.proto}). A result line's error is a {@code google.rpc.Status}; its HTTP
 * status is what the job's retry rules look at (429 and 5xx are retried, 4xx are final).
 */
enum RpcCode {
    OK(0, 200),
    CANCELLED(1, 499),
    UNKNOWN(2, 500),
    INVALID_ARGUMENT(3, 400),
    DEADLINE_EXCEEDED(4, 504),
    NOT_FOUND(5, 404),
    ALREADY_EXISTS(6, 409),
    PERMISSION_DENIED(7, 403),
    RESOURCE_EXHAUSTED(8, 429),
    FAILED_PRECONDITION(9, 400),
    ABORTED(10, 409),
    OUT_OF_RANGE(11, 400),
    UNIMPLEMENTED(12, 501),
    INTERNAL(13, 500),
    UNAVAILABLE(14, 503),
    DATA_LOSS(15, 500),
    UNAUTHENTICATED(16, 401);

    /** google.rpc.Code numbers end at 16; a Status {@code code} from 100 up is an HTTP status. */
    private static final int MIN_HTTP_STATUS = 100;

    private final int number;
    private final int httpStatus;

    RpcCode(int number, int httpStatus) {
        this.number = number;
        this.httpStatus = httpStatus;
    }

    int httpStatus() {
        return httpStatus;
    }

    static Optional<RpcCode> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    static Optional<RpcCode> numbered(int number) {
        for (RpcCode code : values()) {
            if (code.number == number) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    /**
     * The code an error's HTTP status stands for when a Status carries only that: the reverse of the
     * table, where several codes share a status the most general of them; UNKNOWN for the rest.
     */
    static RpcCode forHttpStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_ARGUMENT;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> NOT_FOUND;
            case 409 -> ABORTED;
            case 429 -> RESOURCE_EXHAUSTED;
            case 499 -> CANCELLED;
            case 501 -> UNIMPLEMENTED;
            case 503 -> UNAVAILABLE;
            case 504 -> DEADLINE_EXCEEDED;
            case 500 -> INTERNAL;
            default -> UNKNOWN;
        };
    }

    /**
     * The name of a {@code google.rpc.Status}: its {@code status} as sent, else the name of its
     * {@code code}, read either way it is seen: a code number (3) or, as in the API's error
     * answers, an HTTP status (400).
     */
    static String statusName(String status, Integer code) {
        if (status != null && !status.isBlank()) {
            return status;
        }
        return ofCode(code).name();
    }

    /** Google's HTTP status for a Status: by its name when known, else its HTTP code, else by its code number. */
    static int httpStatus(String status, Integer code) {
        Optional<RpcCode> named = named(status);
        if (named.isPresent()) {
            return named.get().httpStatus();
        }
        if (code != null && code >= MIN_HTTP_STATUS) {
            return code;
        }
        return ofCode(code).httpStatus();
    }

    private static RpcCode ofCode(Integer code) {
        if (code == null) {
            return UNKNOWN;
        }
        return code >= MIN_HTTP_STATUS ? forHttpStatus(code) : numbered(code).orElse(UNKNOWN);
    }
}
