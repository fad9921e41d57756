package io.github.llmbatch.provider;

import java.io.InterruptedIOException;

/**
 * An HTTP call or a wait to retry ended early because the job was asked to stop. Whatever the call
 * was creating may or may not exist at the provider; callers treat it like a lost answer.
 */
public final class CallStoppedException extends InterruptedIOException {

    public CallStoppedException(String message) {
        super(message);
    }
}
