package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.StepExecution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/** Reads executions, steps and ledgers for {@code status}, {@code list} and the progress line. */
final class ExecutionLookup {

    /** JBeret's JDBC repository reads the instances of every job for this name. */
    private static final String ALL_JOBS = "*";

    private final JobOperator operator;
    private final Path cwd;

    ExecutionLookup(JobOperator operator, Path cwd) {
        this.operator = operator;
        this.cwd = cwd;
    }

    /** Newest first; {@code limit <= 0} means all. */
    List<ExecutionSummary> recent(int limit) {
        List<JobInstance> instances;
        try {
            instances = operator.getJobInstances(ALL_JOBS, 0, Integer.MAX_VALUE);
        } catch (NoSuchJobException e) {
            return List.of();
        }
        List<ExecutionSummary> all = new ArrayList<>();
        for (JobInstance instance : instances) {
            for (JobExecution execution : operator.getJobExecutions(instance)) {
                all.add(ExecutionSummary.of(execution, instance.getInstanceId()));
            }
        }
        all.sort(Comparator.comparingLong(ExecutionSummary::executionId).reversed());
        return limit > 0 && all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    Optional<Long> newestExecutionId() {
        return recent(1).stream().findFirst().map(ExecutionSummary::executionId);
    }

    JobExecution execution(long executionId) {
        try {
            return operator.getJobExecution(executionId);
        } catch (NoSuchJobExecutionException e) {
            throw new CliFailure("no job execution " + executionId + " in the job repository");
        }
    }

    long instanceId(long executionId) {
        try {
            return operator.getJobInstance(executionId).getInstanceId();
        } catch (NoSuchJobExecutionException e) {
            throw new CliFailure("no job execution " + executionId + " in the job repository");
        }
    }

    List<StepStatus> steps(long executionId) {
        List<StepStatus> steps = new ArrayList<>();
        for (StepExecution step : operator.getStepExecutions(executionId)) {
            steps.add(StepStatus.of(step));
        }
        return steps;
    }

    /** Where the instance keeps its files, from the work directory the execution was given. */
    InstancePaths instancePaths(Properties parameters, long instanceId) {
        return InstancePaths.of(JobParameters.workDir(parameters, cwd), instanceId);
    }

    /** The ledger, or empty while the job has not written one (or it cannot be read). */
    static Optional<Ledger> ledger(InstancePaths paths) {
        try {
            return paths.ledgerStore().read();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    ExecutionStatus status(long executionId) {
        JobExecution execution = execution(executionId);
        long instanceId = instanceId(executionId);
        Properties parameters = execution.getJobParameters() == null ? new Properties() : execution.getJobParameters();
        InstancePaths paths = instancePaths(parameters, instanceId);
        Map<String, String> sorted = new TreeMap<>();
        for (String key : parameters.stringPropertyNames()) {
            sorted.put(key, parameters.getProperty(key));
        }
        List<StepStatus> steps = steps(executionId);
        Optional<Ledger> ledger = ledger(paths);
        String batchStatus = String.valueOf(execution.getBatchStatus());
        return new ExecutionStatus(executionId, instanceId, execution.getJobName(), batchStatus,
                execution.getExitStatus(), ExecutionStatus.reasonOf(batchStatus, execution.getExitStatus(), steps),
                ExecutionSummary.iso(execution.getCreateTime()), ExecutionSummary.iso(execution.getStartTime()),
                ExecutionSummary.iso(execution.getEndTime()), steps, sorted,
                paths.ledgerFile().toString(), ledger.map(Ledger::summary).orElse(null),
                ledger.map(CostStatus::of).orElse(null));
    }
}
