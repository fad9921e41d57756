package io.github.llmbatch.job;

import jakarta.batch.api.listener.AbstractStepListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * On every step: when it failed, puts the reason into the step's and the job's exit status
 * ({@code FAILED: reason}; a budget's refusal as it is, {@code BUDGET_EXCEEDED: ...}).
 * A chunk step's reader or writer failing otherwise leaves just {@code FAILED}, the reason
 * only in a stack trace in the log.
 */
@Named
@Dependent
public class StepFailureListener extends AbstractStepListener {

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Override
    public void afterStep() {
        Exception e = stepContext.getException();
        if (e == null) {
            return;
        }
        String status = e instanceof BudgetExceededException ? e.getMessage()
                : FailureReport.PREFIX + FailureReport.reason(e);
        stepContext.setExitStatus(status);
        if (!FailureReport.recorded(jobContext)) {
            jobContext.setExitStatus(status);
        }
    }
}
