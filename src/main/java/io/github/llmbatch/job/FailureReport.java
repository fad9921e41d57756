package io.github.llmbatch.job;

import jakarta.batch.runtime.context.JobContext;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Puts the reason a step failed into the job's exit status, where {@code llm-batch status} and
 * the REST API show it (a stack trace in a log is easy to miss at 3 a.m.). The reason names the
 * file when the exception knows it, and goes down the causes, since a wrapper's message ("cannot
 * write ledger X") often leaves out the reason ("No space left on device").
 */
final class FailureReport {

    static final String PREFIX = "FAILED: ";

    private FailureReport() {
    }

    static void record(JobContext context, Exception e) {
        context.setExitStatus(PREFIX + reason(e));
    }

    /** Whether the exit status already says why (the first failure's reason is kept). */
    static boolean recorded(JobContext context) {
        String exit = context.getExitStatus();
        return exit != null && exit.startsWith(PREFIX);
    }

    static String reason(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = message(t);
            if (message == null || reason.indexOf(message) >= 0 || saysAlready(reason, t)) {
                continue;
            }
            // a wrapper whose message is just its cause's toString() adds nothing
            if (t.getCause() != null && message.equals(t.getCause().toString())) {
                continue;
            }
            if (reason.length() > 0) {
                reason.append(": ");
            }
            reason.append(message);
        }
        return reason.length() > 0 ? reason.toString() : e.getClass().getSimpleName();
    }

    /** A file exception under a wrapper that already named its file and gave its reason. */
    private static boolean saysAlready(StringBuilder reason, Throwable t) {
        return t instanceof FileSystemException f && f.getReason() != null && reason.indexOf(f.getReason()) >= 0;
    }

    private static String message(Throwable t) {
        if (t instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (t instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (t instanceof NotDirectoryException f) {
            return "not a directory: " + f.getFile();
        }
        if (t instanceof FileSystemException f && f.getReason() == null) {
            return f.getClass().getSimpleName() + ": " + f.getFile();
        }
        return t.getMessage();
    }
}
