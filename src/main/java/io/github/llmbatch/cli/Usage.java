package io.github.llmbatch.cli;

import java.io.PrintStream;

/** The help text: commands, options, environment, where the job repository is. */
final class Usage {

    private Usage() {
    }

    static void print(PrintStream out) {
        out.print("""
                usage: llm-batch COMMAND [ARGS]

                commands:
                  run JOB.properties [-p key=value]...   start job llm-batch, show progress, wait for the end;
                                                         exit 0 when it COMPLETED. Relative paths (input, output,
                                                         rejects, workDir) are relative to the properties file,
                                                         in -p to the current directory; -p wins over the file.
                                                         Ctrl-C stops the job at its next checkpoint (STOPPED,
                                                         restartable). --job NAME runs another job XML instead.
                  restart EXECUTION_ID [-p key=value]... restart a FAILED or STOPPED execution from its
                                                         checkpoints with its original parameters, each -p
                                                         replacing one; refused while that job instance runs
                  status [EXECUTION_ID] [--json]         an execution (default: the newest): status, steps and
                                                         their metrics, the ledger summary, the cost
                                                         (estimate, bill, saving)
                  list [--all] [--json]                  the %d newest executions (--all: every one)
                  report EXECUTION_ID [--out FILE]       write the run report (HTML) of the execution's job
                                                         instance: where the job wrote it at the end of its
                                                         merge (<output>.report.html), or FILE; prints the path
                  cancel EXECUTION_ID                    cancel the provider batches of that execution's job
                                                         instance and wait for them to end: a running execution
                                                         stops (STOPPED); restart merges what finished, the
                                                         requests that never ran end failed
                  emulator [--port N] [--faults SPEC]    run the local provider emulator until stopped
                  help                                   this text

                environment:
                  LLM_BATCH_REPOSITORY           JDBC URL of the job repository (default: the H2 file
                                                 ~/.llm-batch/job-repository.mv.db); for another H2 file
                                                 add ;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0
                  LLM_BATCH_REPOSITORY_USER      its user (default sa), LLM_BATCH_REPOSITORY_PASSWORD its password
                  LLM_BATCH_LOG_LEVEL            java.util.logging level, e.g. INFO or FINE (default WARNING)
                  LLM_BATCH_CLASSPATH            extra class path after lib/ (own job XML, artifacts, JDBC drivers)
                  JAVA_OPTS, JAVA_HOME           JVM options and the Java to use
                  LLM_BATCH_REPORT_HEAP=1        print peak_heap_mb=N to stderr at exit

                job repository in use: %s

                exit codes: 0 completed, 1 not completed or failed, 2 bad command line,
                            128+N ended by signal N after stopping the job (130 for Ctrl-C)
                """.formatted(ListCommand.DEFAULT_LIMIT, JobRepositoryLocation.describe()));
        out.flush();
    }
}
