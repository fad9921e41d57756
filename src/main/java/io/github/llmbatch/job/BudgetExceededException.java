package io.github.llmbatch.job;

/**
 * The job's estimate is over its {@code budget}: submit fails before any upload, and its message
 * is the exit status of the step and the job ({@code BUDGET_EXCEEDED: estimate $X > budget $Y}).
 */
final class BudgetExceededException extends RuntimeException {

    BudgetExceededException(String exitStatus) {
        super(exitStatus, null, false, false);
    }
}
