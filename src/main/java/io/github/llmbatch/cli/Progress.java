package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.LedgerSummary;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running execution at one moment.
 *
 * @param step   the newest step execution, null before the first step starts
 * @param ledger null until the job has written its ledger
 * @param cost   null until the job has written its ledger
 */
record Progress(long executionId, String batchStatus, Duration elapsed, StepStatus step, LedgerSummary ledger,
                CostStatus cost) {

    static Progress of(long executionId, String batchStatus, Duration elapsed, List<StepStatus> steps,
                       LedgerSummary ledger) {
        return of(executionId, batchStatus, elapsed, steps, ledger, null);
    }

    static Progress of(long executionId, String batchStatus, Duration elapsed, List<StepStatus> steps,
                       LedgerSummary ledger, CostStatus cost) {
        return new Progress(executionId, batchStatus, elapsed, steps.isEmpty() ? null : steps.get(steps.size() - 1),
                ledger, cost);
    }

    /** One line: status, time, phase, shards, batches by status, requests, the bill so far, chunk counts. */
    String line() {
        StringBuilder line = new StringBuilder();
        line.append("execution ").append(executionId).append(' ').append(batchStatus)
                .append(' ').append(clock(elapsed));
        line.append(" | ").append(step == null ? "starting" : step.stepName());
        if (ledger != null) {
            if (ledger.shards() > 0) {
                line.append(" | shards ").append(ledger.shards());
            }
            if (!ledger.batchesByStatus().isEmpty()) {
                line.append(" | batches");
                for (Map.Entry<String, Integer> e : ledger.batchesByStatus().entrySet()) {
                    line.append(' ').append(e.getKey().replace(' ', '_')).append('=').append(e.getValue());
                }
            }
            if (ledger.requestsTotal() > 0) {
                line.append(" | requests ").append(ledger.requestsDone()).append('/').append(ledger.requestsTotal());
            }
        }
        if (cost != null && cost.bill().requests() > 0) {
            line.append(" | ").append(cost.progress());
        }
        if (step != null && (step.metric("readCount") > 0 || step.metric("writeCount") > 0)) {
            line.append(" | read ").append(step.metric("readCount"))
                    .append(" written ").append(step.metric("writeCount"));
        }
        return line.toString();
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
