package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.LedgerSummary;

import java.util.List;
import java.util.Map;

/**
 * What {@code status} shows: the execution, its steps, its parameters and, once the job has
 * written one, the summary of the instance's ledger.
 *
 * @param ledgerFile where the ledger is (or will be); null when the execution has no work directory
 * @param ledger     null until the job has written the ledger
 */
public record ExecutionStatus(long executionId, long instanceId, String jobName, String batchStatus,
                              String exitStatus, String createTime, String startTime, String endTime,
                              List<StepStatus> steps, Map<String, String> parameters, String ledgerFile,
                              LedgerSummary ledger) {
}
