package io.github.llmbatch.cli;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;

import java.io.PrintStream;
import java.nio.file.Path;

/** Where a command writes, which directory relative paths on the command line mean, and the runtime. */
record CliContext(PrintStream out, PrintStream err, Path cwd) {

    static CliContext system() {
        return new CliContext(System.out, System.err, Path.of("").toAbsolutePath());
    }

    /** Starting JBeret (and with it the job repository) only for commands that need it. */
    JobOperator jobOperator() {
        return BatchRuntime.getJobOperator();
    }

    ExecutionLookup lookup(JobOperator operator) {
        return new ExecutionLookup(operator, cwd);
    }
}
