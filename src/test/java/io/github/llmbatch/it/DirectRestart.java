package io.github.llmbatch.it;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import org.jberet.runtime.JobExecutionImpl;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Restarts an execution straight through JobOperator, without the CLI's own check, the way
 * application code or another tool would: what JBeret's restart mode "detect" lets through.
 * Prints {@code status=… exit=…} of the new execution.
 */
public final class DirectRestart {

    private DirectRestart() {
    }

    public static void main(String[] args) throws Exception {
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.restart(Long.parseLong(args[0]), new Properties());
        ((JobExecutionImpl) operator.getJobExecution(id)).awaitTermination(2, TimeUnit.MINUTES);
        JobExecution done = operator.getJobExecution(id);
        System.out.println("execution=" + id + " status=" + done.getBatchStatus() + " exit=" + done.getExitStatus());
        System.exit(0);
    }
}
