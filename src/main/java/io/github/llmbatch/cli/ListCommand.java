package io.github.llmbatch.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code list [--all] [--json]}: recent executions, newest first. */
final class ListCommand {

    static final int DEFAULT_LIMIT = 20;

    /** How many executions (0: all) and how to print them. */
    record Request(int limit, boolean json) {
    }

    private ListCommand() {
    }

    static Request parse(List<String> args) throws UsageException {
        Arguments parsed = Arguments.parse(args, Set.of(), Set.of("--json", "--all"));
        parsed.positionals("list", 0, 0);
        return new Request(parsed.flag("--all") ? 0 : DEFAULT_LIMIT, parsed.flag("--json"));
    }

    static int run(List<String> args, CliContext cli) throws UsageException {
        Request request = parse(args);
        List<ExecutionSummary> executions = cli.lookup(cli.jobOperator()).recent(request.limit());
        if (request.json()) {
            CliJson.print(executions, cli.out());
        } else {
            print(executions, cli.out());
        }
        return 0;
    }

    static void print(List<ExecutionSummary> executions, PrintStream out) {
        if (executions.isEmpty()) {
            out.println("no executions yet");
            return;
        }
        String format = "%-10s %-9s %-16s %-10s %-16s %-24s %s%n";
        out.printf(format, "EXECUTION", "INSTANCE", "JOB", "STATUS", "EXIT STATUS", "STARTED", "ENDED");
        for (ExecutionSummary e : executions) {
            out.printf(format, e.executionId(), e.instanceId(), e.jobName(), e.batchStatus(), e.exitStatus(),
                    e.startTime() == null ? "-" : e.startTime(), e.endTime() == null ? "-" : e.endTime());
        }
        out.flush();
    }
}
