package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.LedgerSummary;

import java.util.List;
import java.util.Map;

/**
 * What {@code status} shows: the execution, its steps, its parameters and, once the job has
 * written one, the summary of the instance's ledger.
 *
 * @param reason     why it failed or was refused or stopped (see {@link #reasonOf}); null when it did not
 * @param ledgerFile where the ledger is (or will be); null when the execution has no work directory
 * @param ledger     null until the job has written the ledger
 * @param cost       the estimate and the bill, from the ledger; null until the job has written it
 */
public record ExecutionStatus(long executionId, long instanceId, String jobName, String batchStatus,
                              String exitStatus, String reason, String createTime, String startTime, String endTime,
                              List<StepStatus> steps, Map<String, String> parameters, String ledgerFile,
                              LedgerSummary ledger, CostStatus cost) {

    /**
     * The reason the job put in its exit status ({@code FAILED: reason}, {@code REFUSED: reason},
     * {@code STOPPED: reason}), else that of its first step that failed; for a failed execution
     * that recorded none (an older version's), a pointer to the log.
     */
    static String reasonOf(String batchStatus, String exitStatus, List<StepStatus> steps) {
        String reason = reasonIn(exitStatus);
        for (StepStatus step : steps) {
            if (reason == null && "FAILED".equals(step.batchStatus())) {
                reason = reasonIn(step.exitStatus());
            }
        }
        if (reason == null && "FAILED".equals(batchStatus)) {
            return "no reason recorded; see the log of the process that ran it";
        }
        return reason;
    }

    private static String reasonIn(String exitStatus) {
        if (exitStatus == null) {
            return null;
        }
        for (String prefix : List.of("FAILED: ", "REFUSED: ", "STOPPED: ")) {
            if (exitStatus.startsWith(prefix) && exitStatus.length() > prefix.length()) {
                return exitStatus.substring(prefix.length());
            }
        }
        return null;
    }
}
