package io.github.llmbatch.job;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import org.jberet.runtime.JobExecutionImpl;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Runs job llm-batch in this JVM through the standard JobOperator and waits for it. */
final class JobRunner {

    private JobRunner() {
    }

    static JobExecution run(Properties params) throws InterruptedException {
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.start("llm-batch", params);
        return await(operator, id);
    }

    static JobExecution restart(long executionId, Properties params) throws InterruptedException {
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.restart(executionId, params);
        return await(operator, id);
    }

    static JobExecution await(JobOperator operator, long executionId) throws InterruptedException {
        JobExecution execution = operator.getJobExecution(executionId);
        ((JobExecutionImpl) execution).awaitTermination(5, TimeUnit.MINUTES);
        return operator.getJobExecution(executionId);
    }
}
