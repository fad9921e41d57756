package io.github.llmbatch.cli;

import jakarta.batch.runtime.JobExecution;

import java.time.Instant;
import java.util.Date;

/** One line of {@code list}: an execution without its steps. Times are ISO-8601 instants. */
public record ExecutionSummary(long executionId, long instanceId, String jobName, String batchStatus,
                               String exitStatus, String startTime, String endTime) {

    static ExecutionSummary of(JobExecution execution, long instanceId) {
        return new ExecutionSummary(execution.getExecutionId(), instanceId, execution.getJobName(),
                String.valueOf(execution.getBatchStatus()), execution.getExitStatus(),
                iso(execution.getStartTime()), iso(execution.getEndTime()));
    }

    static String iso(Date date) {
        return date == null ? null : Instant.ofEpochMilli(date.getTime()).toString();
    }
}
