package io.github.llmbatch.cli;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code llm-batch} command: dispatches to run, restart, status, list, report, cancel, emulator and help.
 * Exit codes: 0 success, 1 failure or an execution that did not complete, 2 bad command line,
 * 128+N when a signal stopped the execution.
 */
public final class Main {

    /** Returned by a command whose own threads keep the JVM running (the emulator). */
    static final int KEEP_RUNNING = -1;
    /** Weld's configuration key (read from system properties in SE) that skips beans.xml validation. */
    static final String WELD_XML_VALIDATION_OFF = "org.jboss.weld.xml.disableValidating";

    private Main() {
    }

    public static void main(String[] args) {
        CliLogging.configure();
        HeapReport.installIfRequested();
        JobRepositoryLocation.apply();
        H2RepositoryDriver.install();
        // The CLI decides when the JVM ends; Weld's own shutdown hook would tear down CDI beans
        // while a job is still stopping.
        System.setProperty("org.jboss.weld.se.shutdownHook", "false");
        // Weld checks every beans.xml against the CDI schemas before parsing it; loading those
        // schemas is about a tenth of a short run's CPU, for files that ship in the jars. An
        // explicit -D on the command line (JAVA_OPTS) still decides.
        if (System.getProperty(WELD_XML_VALIDATION_OFF) == null) {
            System.setProperty(WELD_XML_VALIDATION_OFF, "true");
        }
        int code = run(Arrays.asList(args), CliContext.system());
        if (code != KEEP_RUNNING) {
            System.exit(code);
        }
    }

    static int run(List<String> args, CliContext cli) {
        if (args.isEmpty()) {
            Usage.print(cli.err());
            return 2;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "run" -> RunCommand.run(rest, cli);
                case "restart" -> RestartCommand.run(rest, cli);
                case "status" -> StatusCommand.run(rest, cli);
                case "list" -> ListCommand.run(rest, cli);
                case "report" -> ReportCommand.run(rest, cli);
                case "cancel" -> CancelCommand.run(rest, cli);
                case "emulator" -> EmulatorCommand.run(rest, cli);
                case "help", "--help", "-h" -> {
                    Usage.print(cli.out());
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            cli.err().println("llm-batch: " + e.getMessage());
            cli.err().println();
            Usage.print(cli.err());
            return 2;
        } catch (CliFailure e) {
            cli.err().println("llm-batch: " + e.getMessage());
            return 1;
        } catch (RuntimeException | ExceptionInInitializerError e) {
            // JBeret reports a job repository it cannot open as an error in a static initializer
            cli.err().println("llm-batch: " + command + " failed: " + rootMessage(e));
            if (CliLogging.level(System.getenv(CliLogging.LEVEL_ENV)) != null) {
                e.printStackTrace(cli.err());
            }
            return 1;
        }
    }

    /** The innermost cause's message: JBeret wraps the useful one several levels deep. */
    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
