package io.github.llmbatch.request;

/** An answer that is not JSON, or not valid against the job's {@link ResponseSchema}; the message says where. */
public final class InvalidAnswerException extends Exception {
    public InvalidAnswerException(String message) {
        super(message, null, false, false);
    }
}
