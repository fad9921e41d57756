package io.github.llmbatch.job;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.pipeline.MergeCheckpoint;
import io.github.llmbatch.report.ExecutionFacts;
import io.github.llmbatch.report.ReportFile;
import io.github.llmbatch.report.RunReport;
import jakarta.batch.api.listener.AbstractStepListener;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.logging.Logger;

/**
 * On the merge step, once it has written every record: records in the ledger what it wrote
 * (succeeded, failed, when, where the report is) and writes the run report,
 * {@code <output>.report.html} (for an output table, {@code <table>.report.html} in the
 * instance's work directory). A restart of the step writes both again.
 */
@Named
@Dependent
public class RunReportListener extends AbstractStepListener {

    private static final Logger LOG = Logger.getLogger(RunReportListener.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @Override
    public void afterStep() {
        // a failed or stopped merge has not written every record: its report would be wrong
        if (stepContext.getException() != null || jobContext.getBatchStatus() == BatchStatus.STOPPING
                || !(stepContext.getPersistentUserData() instanceof MergeCheckpoint counted)) {
            return;
        }
        JobRun run = JobRun.of(jobContext);
        try {
            Path report = run.settings().tableOutput()
                    ? ReportFile.forTable(run.paths(), run.settings().outputTable())
                    : ReportFile.besideOutput(run.settings().output().toAbsolutePath());
            LedgerStore store = run.paths().ledgerStore();
            Ledger ledger = run.ledger();
            if (!wroteEveryRecord(counted, ledger)) {
                return;
            }
            Ledger.MergeSummary merge = new Ledger.MergeSummary();
            merge.succeeded = counted.succeeded();
            merge.failed = counted.failed();
            merge.endedAt = Instant.now().toString();
            merge.report = report.toString();
            ledger.merge = merge;
            InstanceLockListener.heldLock(jobContext).check();
            store.write(ledger);
            ReportFile.write(report, RunReport.html(ledger, facts(), Instant.now()));
            LOG.info(() -> "run report: " + report);
        } catch (Exception e) {
            // the output is whole; a restart of the step writes the report again
            String status = FailureReport.PREFIX + "cannot write the run report: " + FailureReport.reason(e);
            stepContext.setExitStatus(status);
            jobContext.setExitStatus(status);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** A step that ended early without an exception (a stop) has not: its counts fall short of the requests. */
    private static boolean wroteEveryRecord(MergeCheckpoint counted, Ledger ledger) {
        if (counted.succeeded() == null || ledger.prepare == null
                || counted.succeeded() + counted.failed() == ledger.prepare.requests) {
            return true;
        }
        LOG.warning(() -> "merge ended after " + (counted.succeeded() + counted.failed()) + " of "
                + ledger.prepare.requests + " records: no run report (llm-batch report writes one on demand)");
        return false;
    }

    private ExecutionFacts facts() {
        Date started = BatchRuntime.getJobOperator().getJobExecution(jobContext.getExecutionId()).getStartTime();
        return new ExecutionFacts(jobContext.getJobName(), jobContext.getInstanceId(), jobContext.getExecutionId(),
                "merge finished", started == null ? null : started.toInstant().toString(), null);
    }
}
