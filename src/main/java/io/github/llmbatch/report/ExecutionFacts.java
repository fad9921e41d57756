package io.github.llmbatch.report;

/**
 * What the report says about the execution it was written for; the rest comes from the ledger.
 *
 * @param status    the execution's state as the caller knows it ("merge finished", "COMPLETED" …)
 * @param startTime ISO-8601; null when unknown
 * @param endTime   ISO-8601; null while it runs
 */
public record ExecutionFacts(String jobName, long instanceId, long executionId, String status, String startTime,
                             String endTime) {
}
