package io.github.llmbatch.cli;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.jberet.runtime.JobExecutionImpl;

import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code cancel EXECUTION_ID}: starts job {@value #JOB} for the execution's job instance and waits for
 * it: the instance's provider batches are cancelled and have ended, what finished is kept for a
 * restart's merge, and a running execution of the instance ends STOPPED. Exit 0 when that is done (or
 * there was nothing running to cancel); 1 with the reason otherwise.
 */
final class CancelCommand {

    /** The cancel job and its parameter, as the REST API starts it too. */
    static final String JOB = "llm-batch-cancel";
    static final String EXECUTION = "execution";

    private static final Set<BatchStatus> ENDED =
            EnumSet.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED);

    private CancelCommand() {
    }

    static long parse(List<String> args) throws UsageException {
        Arguments parsed = Arguments.parse(args, Set.of(), Set.of());
        return Arguments.executionId("cancel", parsed.positionals("cancel", 1, 1).get(0));
    }

    static int run(List<String> args, CliContext cli) throws UsageException {
        long target = parse(args);
        JobOperator operator = cli.jobOperator();
        ExecutionLookup lookup = cli.lookup(operator);
        lookup.execution(target); // an unknown id is said before anything starts
        Properties parameters = new Properties();
        parameters.setProperty(EXECUTION, Long.toString(target));
        long cancelId = operator.start(JOB, parameters);
        cli.out().println("cancelling the batches of job instance " + lookup.instanceId(target) + " (execution "
                + target + "); waiting for them to end");
        cli.out().flush();
        JobExecutionImpl cancel = (JobExecutionImpl) lookup.execution(cancelId);
        try (StopOnSignal ignored = StopOnSignal.install(operator, cancelId, cli.err(), () -> await(cancel, 60))) {
            while (!ENDED.contains(cancel.getBatchStatus())) {
                await(cancel, 1);
            }
            await(cancel, 60); // JBeret sets the end status before it stores it
        }
        JobExecution done = operator.getJobExecution(cancelId);
        String exit = done.getExitStatus();
        if (done.getBatchStatus() == BatchStatus.COMPLETED) {
            cli.out().println(exit);
            cli.out().println("restart with: llm-batch restart " + target
                    + " (merges what finished; requests the cancel kept from running end failed)");
            cli.out().flush();
            return 0;
        }
        cli.err().println("llm-batch: cancel of execution " + target + " " + done.getBatchStatus() + ": "
                + (exit == null ? done.getBatchStatus() : exit));
        return 1;
    }

    private static void await(JobExecutionImpl execution, long seconds) {
        try {
            execution.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while waiting for the cancel (execution " + execution.getExecutionId()
                    + ")");
        }
    }
}
