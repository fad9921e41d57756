package io.github.llmbatch.provider;

import java.io.IOException;

/** The provider answered with an error that retrying will not fix (or retries ran out on it). */
public class ProviderException extends IOException {

    private final int httpStatus;
    private final String errorCode;

    public ProviderException(int httpStatus, String errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The provider's error code or type, when it sent one. */
    public String errorCode() {
        return errorCode;
    }
}
