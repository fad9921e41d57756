package io.github.llmbatch.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Shows progress: on a terminal one line rewritten in place; otherwise (a log file, CI) a
 * time-stamped line every few seconds.
 */
final class ProgressPrinter {

    private static final Duration LIVE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final boolean live;
    private final int width;
    private int shown;

    ProgressPrinter(PrintStream out, boolean live, int width) {
        this.out = out;
        this.live = live;
        this.width = width;
    }

    /** Live on a terminal; the width from {@code COLUMNS} when the shell exports it. */
    static ProgressPrinter forConsole(PrintStream out) {
        int width = 100;
        try {
            width = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").strip());
        } catch (NumberFormatException ignored) {
            // keep the default
        }
        ProgressPrinter printer = new ProgressPrinter(out, System.console() != null, Math.max(20, width));
        if (printer.live) {
            // a log line (a retry, a slow call) would otherwise be glued to the end of the live line
            CliLogging.beforeEachRecord(printer::finish);
        }
        return printer;
    }

    Duration interval() {
        return live ? LIVE_INTERVAL : LOG_INTERVAL;
    }

    synchronized void update(Progress progress) {
        String line = progress.line();
        if (live) {
            // A line longer than the terminal wraps, and '\r' would then rewrite only its tail.
            if (line.length() > width - 1) {
                line = line.substring(0, width - 1);
            }
            out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            shown = line.length();
        } else {
            out.println(TIME.format(LocalTime.now()) + " " + line);
        }
        out.flush();
    }

    /** Ends the live line so that what follows starts on a fresh one (also called from logging threads). */
    synchronized void finish() {
        if (live && shown > 0) {
            out.println();
            shown = 0;
        }
    }
}
