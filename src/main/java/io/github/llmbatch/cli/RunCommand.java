package io.github.llmbatch.cli;

import io.github.llmbatch.cost.Tokenizer;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobStartException;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** {@code run JOB.properties [-p key=value]...}: starts the job and follows it to its end. */
final class RunCommand {

    static final String DEFAULT_JOB = "llm-batch";

    /** What {@code run} starts: a job XML name and its parameters, ready for JobOperator. */
    record Request(String jobName, Properties parameters) {
    }

    private RunCommand() {
    }

    static Request parse(List<String> args, Path cwd) throws UsageException {
        Arguments parsed = Arguments.parse(args, Set.of("-p", "--job"), Set.of());
        Path file = cwd.resolve(parsed.positionals("run", 1, 1).get(0));
        Properties parameters = JobParameters.merge(JobPropertiesFile.load(file),
                JobParameters.parseOverrides(parsed.values("-p"), cwd));
        JobParameters.pinWorkDir(parameters, cwd);
        JobParameters.requireStorable(parameters);
        String jobName = parsed.value("--job").orElse(DEFAULT_JOB);
        if (jobName.equals(DEFAULT_JOB)) {
            JobParameters.requireKnown(parameters);
        }
        return new Request(jobName, parameters);
    }

    static int run(List<String> args, CliContext cli) throws UsageException {
        Request request = parse(args, cli.cwd());
        if (request.jobName().equals(DEFAULT_JOB)) {
            // Starts loading the model's token encoding (a second of CPU) beside the start-up of
            // JBeret, Weld and the job repository, instead of once the job runs: prepare's first
            // checkpoint waits for the count, and short runs waited for the loading.
            Tokenizer.forModel(request.parameters().getProperty("model"));
        }
        JobOperator operator = cli.jobOperator();
        long executionId;
        try {
            executionId = operator.start(request.jobName(), request.parameters());
        } catch (JobStartException e) {
            throw new CliFailure("cannot start job " + request.jobName() + ": " + Main.rootMessage(e), e);
        }
        return new ForegroundExecution(operator, cli.lookup(operator), ProgressPrinter.forConsole(cli.out()),
                cli.out(), cli.err()).follow(executionId);
    }
}
