package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerSummary;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.jberet.runtime.JobExecutionImpl;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Follows an execution this JVM started until it ends: progress while it runs, a graceful stop on
 * Ctrl-C, a summary at the end. The exit code is 0 only for COMPLETED.
 */
final class ForegroundExecution {

    private static final Set<BatchStatus> ENDED =
            EnumSet.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED);
    /** JBeret sets the final status before it stores it; this bounds the wait for the store. */
    private static final long STORE_WAIT_SECONDS = 60;

    private final JobOperator operator;
    private final ExecutionLookup lookup;
    private final ProgressPrinter printer;
    private final PrintStream out;
    private final PrintStream err;

    ForegroundExecution(JobOperator operator, ExecutionLookup lookup, ProgressPrinter printer, PrintStream out,
                        PrintStream err) {
        this.operator = operator;
        this.lookup = lookup;
        this.printer = printer;
        this.out = out;
        this.err = err;
    }

    int follow(long executionId) {
        // The execution object of the JVM that runs it; it holds JBeret's termination latch.
        JobExecutionImpl execution = (JobExecutionImpl) lookup.execution(executionId);
        long instanceId = lookup.instanceId(executionId);
        Properties parameters = execution.getJobParameters();
        InstancePaths paths = lookup.instancePaths(parameters, instanceId);
        Instant started = Instant.now();
        out.println("started execution " + executionId + " of job " + execution.getJobName()
                + " (instance " + instanceId + ")");
        out.flush();

        int signal;
        try (StopOnSignal stop = StopOnSignal.install(operator, executionId, err, () -> awaitStored(execution))) {
            while (!ENDED.contains(execution.getBatchStatus())) {
                await(execution, printer.interval());
                if (!ENDED.contains(execution.getBatchStatus())) {
                    printer.update(progress(executionId, execution, started, paths));
                }
            }
            awaitStored(execution);
            signal = stop.signalNumber();
        }
        printer.finish();
        report(executionId, execution, parameters, paths);
        BatchStatus status = execution.getBatchStatus();
        if (status == BatchStatus.COMPLETED) {
            return 0;
        }
        return signal != 0 ? 128 + signal : 1;
    }

    private Progress progress(long executionId, JobExecution execution, Instant started, InstancePaths paths) {
        List<StepStatus> steps = lookup.steps(executionId);
        Optional<Ledger> ledger = ExecutionLookup.ledger(paths);
        return Progress.of(executionId, String.valueOf(execution.getBatchStatus()),
                Duration.between(started, Instant.now()), steps, ledger.map(Ledger::summary).orElse(null),
                ledger.map(CostStatus::of).orElse(null));
    }

    private void report(long executionId, JobExecution execution, Properties parameters, InstancePaths paths) {
        BatchStatus status = execution.getBatchStatus();
        Duration took = execution.getStartTime() == null || execution.getEndTime() == null ? Duration.ZERO
                : Duration.ofMillis(execution.getEndTime().getTime() - execution.getStartTime().getTime());
        out.println("execution " + executionId + " " + status + " (exit status " + execution.getExitStatus()
                + ") after " + Progress.clock(took));
        ExecutionLookup.ledger(paths).ifPresent(ledger -> {
            out.println("  " + ledgerLine(ledger.summary()));
            CostStatus.of(ledger).lines().forEach(line -> out.println("  " + line));
        });
        for (StepStatus step : lookup.steps(executionId)) {
            if (!step.batchStatus().equals(BatchStatus.COMPLETED.name())) {
                out.println("  step " + step.stepName() + " " + step.batchStatus() + " (exit status "
                        + step.exitStatus() + ")");
            }
            if (step.metric("readCount") > 0 || step.metric("writeCount") > 0) {
                out.println("  step " + step.stepName() + ": read " + step.metric("readCount") + ", written "
                        + step.metric("writeCount") + ", filtered " + step.metric("filterCount") + ", skipped "
                        + (step.metric("readSkipCount") + step.metric("processSkipCount")
                        + step.metric("writeSkipCount")));
            }
        }
        printPath("output", parameters);
        printPath("rejects", parameters);
        reportPath(paths).ifPresent(report -> out.println("  report: " + report));
        if (status == BatchStatus.STOPPED || status == BatchStatus.FAILED) {
            out.println("restart with: llm-batch restart " + executionId);
        }
        out.flush();
    }

    static String ledgerLine(LedgerSummary ledger) {
        StringBuilder line = new StringBuilder();
        line.append("records ").append(ledger.inputRecords()).append(", rejects ").append(ledger.rejects())
                .append(", requests ").append(ledger.requestsDone()).append('/').append(ledger.requestsTotal())
                .append(" done, ").append(ledger.shards()).append(ledger.shards() == 1 ? " batch" : " batches");
        if (!ledger.batchesByStatus().isEmpty()) {
            line.append(" (");
            String sep = "";
            for (Map.Entry<String, Integer> e : ledger.batchesByStatus().entrySet()) {
                line.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ", ";
            }
            line.append(')');
        }
        return line.append(", ").append(ledger.attempts()).append(" attempts").toString();
    }

    /** Where the job wrote the run report at the end of its merge; empty before (or when the ledger cannot be read). */
    private static java.util.Optional<String> reportPath(InstancePaths paths) {
        try {
            return paths.ledgerStore().read().map(l -> l.merge == null ? null : l.merge.report);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private void printPath(String key, Properties parameters) {
        String value = parameters.getProperty(key);
        if (value != null && !value.isBlank()) {
            out.println("  " + key + ": " + value);
        }
    }

    private static void await(JobExecutionImpl execution, Duration interval) {
        try {
            execution.awaitTermination(interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while waiting for execution " + execution.getExecutionId());
        }
    }

    private void awaitStored(JobExecutionImpl execution) {
        await(execution, Duration.ofSeconds(STORE_WAIT_SECONDS));
    }
}
