package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.LedgerSummary;
import jakarta.batch.runtime.Metric;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    private static StepStatus step(String name, long read, long written) {
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put("readCount", read);
        metrics.put("writeCount", written);
        return new StepStatus(name, "STARTED", null, "2025-01-01T00:00:00Z", null, metrics);
    }

    @Test
    void lineShowsPhaseBatchesRequestsAndChunkCounts() {
        Map<String, Integer> batches = new TreeMap<>(Map.of("completed", 2, "in_progress", 1, "not created", 1));
        LedgerSummary ledger = new LedgerSummary(5000, 3, 4, 4997, 2500, batches, 5);
        Progress p = Progress.of(9, "STARTED", Duration.ofSeconds(3725),
                List.of(step("prepare", 5000, 4997), step("merge", 1200, 1100)), ledger);

        assertEquals("execution 9 STARTED 01:02:05 | merge | shards 4 | batches completed=2 in_progress=1"
                + " not_created=1 | requests 2500/4997 | read 1200 written 1100", p.line());
    }

    @Test
    void lineBeforeAnyStepOrLedger() {
        Progress p = Progress.of(1, "STARTING", Duration.ZERO, List.of(), null);
        assertEquals("execution 1 STARTING 00:00:00 | starting", p.line());
    }

    @Test
    void batchletStepsShowNoChunkCounts() {
        Progress p = Progress.of(1, "STARTED", Duration.ofSeconds(61), List.of(step("poll", 0, 0)), null);
        assertEquals("execution 1 STARTED 00:01:01 | poll", p.line());
    }

    @Test
    void liveLineIsRewrittenInPlaceAndClearsLongerText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 200);
        printer.update(Progress.of(1, "STARTED", Duration.ZERO, List.of(step("prepare", 10, 10)), null));
        printer.update(Progress.of(1, "STARTED", Duration.ZERO, List.of(step("poll", 0, 0)), null));
        printer.finish();
        String text = bytes.toString(StandardCharsets.UTF_8);
        String first = "execution 1 STARTED 00:00:00 | prepare | read 10 written 10";
        String second = "execution 1 STARTED 00:00:00 | poll";
        assertEquals("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
                + System.lineSeparator(), text);
    }

    @Test
    void aLogRecordStartsOnAFreshLineAfterTheLiveLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressPrinter printer = new ProgressPrinter(out, true, 200);
        StreamHandler log = new StreamHandler(out, new SimpleFormatter() {
            @Override
            public String format(LogRecord record) {
                return record.getLevel() + " " + record.getMessage() + "\n";
            }
        });
        CliLogging.beforeEachRecord(printer::finish, log);
        printer.update(Progress.of(1, "STARTED", Duration.ZERO, List.of(step("poll", 0, 0)), null));
        log.publish(new LogRecord(Level.INFO, "GET /v1/batches/b: waiting for 10 s, no answer yet"));
        log.flush();
        printer.update(Progress.of(1, "STARTED", Duration.ZERO, List.of(step("poll", 0, 0)), null));

        String line = "execution 1 STARTED 00:00:00 | poll";
        assertEquals("\r" + line + System.lineSeparator() + "INFO GET /v1/batches/b: waiting for 10 s, no answer yet\n"
                + "\r" + line, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCliShowsTheProviderCallsWaitsButOtherwiseOnlyWarnings() throws Exception {
        Properties config = new Properties();
        try (InputStream in = CliLogging.class.getResourceAsStream("logging.properties")) {
            config.load(in);
        }
        assertEquals("WARNING", config.getProperty(".level"));
        assertEquals("INFO", config.getProperty(io.github.llmbatch.provider.HttpTransport.class.getName() + ".level"));
        assertEquals("ALL", config.getProperty("java.util.logging.ConsoleHandler.level"));
    }

    @Test
    void liveLineIsCutToTheTerminalWidth() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 21);
        printer.update(Progress.of(1, "STARTED", Duration.ZERO, List.of(), null));
        assertEquals("\rexecution 1 STARTED ", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void logModeWritesTimeStampedLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 80);
        printer.update(Progress.of(1, "STARTED", Duration.ZERO, List.of(), null));
        printer.finish();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("\\d\\d:\\d\\d:\\d\\d execution 1 STARTED 00:00:00 \\| starting\\R"), text);
        assertFalse(text.contains("\r"));
        assertEquals(Duration.ofSeconds(5), printer.interval());
    }

    @Test
    void metricNamesAreCamelCase() {
        assertEquals("readCount", StepStatus.metricName(Metric.MetricType.READ_COUNT));
        assertEquals("processSkipCount", StepStatus.metricName(Metric.MetricType.PROCESS_SKIP_COUNT));
    }

    @Test
    void ledgerLineForTheSummary() {
        LedgerSummary ledger = new LedgerSummary(10, 1, 1, 9, 9, new TreeMap<>(Map.of("completed", 1)), 2);
        assertEquals("records 10, rejects 1, requests 9/9 done, 1 batch (completed=1), 2 attempts",
                ForegroundExecution.ledgerLine(ledger));
    }
}
