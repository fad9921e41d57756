package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.runtime.JobExecution;

import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * {@code restart EXECUTION_ID [-p key=value]...}: restarts a FAILED or STOPPED execution from its
 * checkpoints. JBeret starts the new execution with the original parameters, each {@code -p}
 * replacing one, so the job sees the same input, output and work directory.
 */
final class RestartCommand {

    /** What {@code restart} restarts, and the parameters that replace the original ones. */
    record Request(long executionId, Properties overrides) {
    }

    private RestartCommand() {
    }

    static Request parse(List<String> args, java.nio.file.Path cwd) throws UsageException {
        Arguments parsed = Arguments.parse(args, Set.of("-p"), Set.of());
        long executionId = Arguments.executionId("restart", parsed.positionals("restart", 1, 1).get(0));
        Properties overrides = JobParameters.parseOverrides(parsed.values("-p"), cwd);
        JobParameters.requireStorable(overrides);
        return new Request(executionId, overrides);
    }

    static int run(List<String> args, CliContext cli) throws UsageException {
        Request request = parse(args, cli.cwd());
        JobOperator operator = cli.jobOperator();
        ExecutionLookup lookup = cli.lookup(operator);
        JobExecution original = lookup.execution(request.executionId());
        long instanceId = lookup.instanceId(request.executionId());
        if (RunCommand.DEFAULT_JOB.equals(original.getJobName())) {
            JobParameters.requireKnown(request.overrides());
        }
        Properties originalParameters = original.getJobParameters() == null ? new Properties()
                : original.getJobParameters();
        // JBeret restarts a STARTED execution of another JVM without asking whether that JVM still
        // runs it; the job's own lock would refuse later, this says so before anything starts.
        InstancePaths paths = lookup.instancePaths(JobParameters.merge(originalParameters, request.overrides()),
                instanceId);
        if (InstanceLock.isHeld(paths.dir())) {
            throw new CliFailure("job instance " + instanceId + " (execution " + request.executionId()
                    + ") is running right now in another process (" + paths.dir() + " is locked);"
                    + " stop that process first, or wait for it to end");
        }
        // read before the restart: JBeret marks a crashed STARTED execution FAILED in this object
        String previousStatus = String.valueOf(original.getBatchStatus());
        long newExecutionId;
        try {
            newExecutionId = operator.restart(request.executionId(), request.overrides());
        } catch (JobExecutionAlreadyCompleteException e) {
            throw new CliFailure("execution " + request.executionId() + " has COMPLETED; there is nothing to restart");
        } catch (JobExecutionNotMostRecentException e) {
            throw new CliFailure("execution " + request.executionId() + " is not the newest execution of job instance "
                    + instanceId + "; restart the newest one (see `llm-batch list`)");
        } catch (JobRestartException e) {
            throw new CliFailure("cannot restart execution " + request.executionId() + ": " + Main.rootMessage(e), e);
        }
        cli.out().println("restarting execution " + request.executionId() + " (" + previousStatus + ")");
        return new ForegroundExecution(operator, lookup, ProgressPrinter.forConsole(cli.out()), cli.out(), cli.err())
                .follow(newExecutionId);
    }
}
