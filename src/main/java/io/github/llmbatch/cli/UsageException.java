package io.github.llmbatch.cli;

/** The command line itself is wrong: the message is shown with the usage, exit code 2. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
