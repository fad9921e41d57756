package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.report.ExecutionFacts;
import io.github.llmbatch.report.ReportFile;
import io.github.llmbatch.report.RunReport;
import jakarta.batch.runtime.JobExecution;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * {@code report EXECUTION_ID [--out FILE]}: writes the run report of the execution's job instance
 * from its ledger, where the job wrote it at the end of its merge (by default), and prints the path.
 */
final class ReportCommand {

    /** The report's name in the instance's work directory when the merge has not written one yet. */
    static final String UNMERGED_NAME = "report.html";

    record Request(long executionId, String out) {
    }

    private ReportCommand() {
    }

    static Request parse(List<String> args) throws UsageException {
        Arguments parsed = Arguments.parse(args, Set.of("--out"), Set.of());
        List<String> ids = parsed.positionals("report", 1, 1);
        return new Request(Arguments.executionId("report", ids.get(0)), parsed.value("--out").orElse(null));
    }

    static int run(List<String> args, CliContext cli) throws UsageException {
        Request request = parse(args);
        ExecutionLookup lookup = cli.lookup(cli.jobOperator());
        JobExecution execution = lookup.execution(request.executionId());
        long instanceId = lookup.instanceId(request.executionId());
        Properties parameters = execution.getJobParameters() == null ? new Properties() : execution.getJobParameters();
        InstancePaths paths = lookup.instancePaths(parameters, instanceId);
        Ledger ledger = paths.ledgerStore().read().orElseThrow(() -> new CliFailure("execution "
                + request.executionId() + " has no ledger yet (" + paths.ledgerFile() + "): nothing to report"));
        Path target = target(request, ledger, paths, cli.cwd());
        String status = execution.getBatchStatus() + (execution.getExitStatus() == null
                || execution.getExitStatus().equals(String.valueOf(execution.getBatchStatus())) ? ""
                : " (" + execution.getExitStatus() + ")");
        ExecutionFacts facts = new ExecutionFacts(execution.getJobName(), instanceId, request.executionId(), status,
                ExecutionSummary.iso(execution.getStartTime()), ExecutionSummary.iso(execution.getEndTime()));
        try {
            ReportFile.write(target, RunReport.html(ledger, facts, Instant.now()));
        } catch (IOException e) {
            throw new CliFailure("cannot write " + target + ": " + e.getMessage());
        }
        cli.out().println(target);
        cli.out().flush();
        return 0;
    }

    /** {@code --out}, else where the job wrote it at the end of its merge, else the instance's work directory. */
    static Path target(Request request, Ledger ledger, InstancePaths paths, Path cwd) {
        if (request.out() != null) {
            return cwd.resolve(request.out()).toAbsolutePath().normalize();
        }
        if (ledger.merge != null && ledger.merge.report != null) {
            return Path.of(ledger.merge.report);
        }
        return paths.dir().resolve(UNMERGED_NAME);
    }
}
