package io.github.llmbatch.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code status [EXECUTION_ID] [--json]}: one execution (the newest by default) in detail. */
final class StatusCommand {

    /** Which execution (null: the newest) and how to print it. */
    record Request(Long executionId, boolean json) {
    }

    private StatusCommand() {
    }

    static Request parse(List<String> args) throws UsageException {
        Arguments parsed = Arguments.parse(args, Set.of(), Set.of("--json"));
        List<String> ids = parsed.positionals("status", 0, 1);
        return new Request(ids.isEmpty() ? null : Arguments.executionId("status", ids.get(0)), parsed.flag("--json"));
    }

    static int run(List<String> args, CliContext cli) throws UsageException {
        Request request = parse(args);
        ExecutionLookup lookup = cli.lookup(cli.jobOperator());
        long executionId = request.executionId() != null ? request.executionId()
                : lookup.newestExecutionId().orElseThrow(() -> new CliFailure("the job repository has no executions yet"));
        ExecutionStatus status = lookup.status(executionId);
        if (request.json()) {
            CliJson.print(status, cli.out());
        } else {
            print(status, cli.out());
        }
        return 0;
    }

    static void print(ExecutionStatus s, PrintStream out) {
        out.println("execution " + s.executionId() + " of job " + s.jobName() + " (instance " + s.instanceId() + ")");
        out.println("  batch status: " + s.batchStatus() + "   exit status: " + orDash(s.exitStatus()));
        if (s.reason() != null) {
            out.println("  reason: " + s.reason());
        }
        out.println("  started: " + orDash(s.startTime()) + "   ended: " + orDash(s.endTime()));
        for (StepStatus step : s.steps()) {
            StringBuilder line = new StringBuilder("  step ").append(step.stepName()).append(": ")
                    .append(step.batchStatus());
            if (step.exitStatus() != null && !step.exitStatus().equals(step.batchStatus())) {
                line.append(" (").append(step.exitStatus()).append(')');
            }
            for (Map.Entry<String, Long> metric : step.metrics().entrySet()) {
                line.append(' ').append(metric.getKey()).append('=').append(metric.getValue());
            }
            out.println(line);
        }
        if (s.ledger() != null) {
            out.println("  ledger: " + ForegroundExecution.ledgerLine(s.ledger()));
        } else if (s.ledgerFile() != null) {
            out.println("  ledger: none yet (" + s.ledgerFile() + ")");
        }
        if (s.cost() != null) {
            s.cost().lines().forEach(line -> out.println("  " + line));
        }
        for (String key : List.of("input", "output", "rejects", "workDir")) {
            String value = s.parameters().get(key);
            if (value != null) {
                out.println("  " + key + ": " + value);
            }
        }
        out.flush();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
