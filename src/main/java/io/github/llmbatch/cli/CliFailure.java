package io.github.llmbatch.cli;

/** A command could not do what was asked; the message says why, exit code 1. */
final class CliFailure extends RuntimeException {

    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
