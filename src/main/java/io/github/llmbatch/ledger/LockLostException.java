package io.github.llmbatch.ledger;

/** This execution no longer holds its instance lock, or cannot tell whether it does; it stops. */
public final class LockLostException extends IllegalStateException {

    public LockLostException(String message) {
        super(message);
    }

    public LockLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
