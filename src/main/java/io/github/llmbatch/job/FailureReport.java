package io.github.llmbatch.job;

import jakarta.batch.runtime.context.JobContext;

/**
 * Puts the reason a step failed into the job's exit status, where {@code llm-batch status} and
 * the REST API show it (a stack trace in a log is easy to miss at 3 a.m.).
 */
final class FailureReport {

    private FailureReport() {
    }

    static void record(JobContext context, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        context.setExitStatus("FAILED: " + message);
    }
}
