package io.github.llmbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.PriceTable;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.report.PageFigures;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import org.jberet.runtime.JobExecutionImpl;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run report of a real job (against the embedded emulator: retries, permanent failures,
 * rejects, three batches) rendered by headless Chromium: the page it renders, with networking cut,
 * carries the figures {@code status --json} gives for the execution, and draws
 * something. Under {@code CI=true} a missing Chromium fails the test ({@code .ci/run} installs it).
 */
class ReportBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Unique to this test: the embedded emulator is one per fault spec, and fail500 hits a custom_id once. */
    private static final String FAULTS = "fail400=rep-(3|13);fail500=rep-(5|6|17)";
    private static final List<String> FIGURES = List.of("jobName", "instanceId", "executionId",
            "ledger.inputRecords", "ledger.succeeded", "ledger.failed", "ledger.rejects", "ledger.requestsTotal",
            "ledger.requestsDone", "ledger.shards", "ledger.attempts", "cost.currency", "cost.priced",
            "cost.estimate.requests", "cost.estimate.inputTokens", "cost.estimate.inputTokensExact",
            "cost.estimate.maxOutputTokens", "cost.estimate.batchUsd", "cost.estimate.syncUsd", "cost.bill.requests",
            "cost.bill.inputTokens", "cost.bill.cachedInputTokens", "cost.bill.outputTokens", "cost.bill.batchUsd",
            "cost.bill.syncUsd", "cost.bill.savingUsd");

    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                chromium = Path.of(candidate);
                return;
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true but no Chromium (/usr/bin/chromium): .ci/run installs Debian's chromium");
        }
        Assumptions.abort("no Chromium (/usr/bin/chromium): the run report's browser test is skipped");
    }

    @Test
    void theReportRendersWithTheFiguresOfStatusJson(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.jsonl");
        StringBuilder records = new StringBuilder();
        for (int i = 1; i <= 24; i++) {
            records.append("{\"id\":\"rep-").append(i).append("\",\"name\":\"item ").append(i).append("\"}\n");
        }
        records.append("not json\n{\"name\":\"no id\"}\n");
        Files.writeString(input, records);
        Path output = dir.resolve("out.jsonl");
        Properties p = new Properties();
        p.setProperty("input", input.toString());
        p.setProperty("output", output.toString());
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("baseUrl", "embedded");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Say something about {{name}}");
        p.setProperty("maxTokens", "16");
        p.setProperty("maxRequestsPerFile", "10");
        p.setProperty("pollInterval", "200ms");
        p.setProperty("emulatorFaults", FAULTS);
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.start("llm-batch", p);
        ((JobExecutionImpl) operator.getJobExecution(id)).awaitTermination(5, TimeUnit.MINUTES);
        assertEquals(BatchStatus.COMPLETED, operator.getJobExecution(id).getBatchStatus());

        // the job wrote it at the end of its merge, beside the output
        Path written = dir.resolve("out.jsonl.report.html");
        assertTrue(Files.isRegularFile(written), "no report beside the output");
        JsonNode status = statusJson(id, dir);
        PageFigures page = render(written, dir.resolve("job-written"));
        assertFiguresEqual(status, page);
        // input = succeeded + failed + rejects, and those are what the output holds
        String out = Files.readString(output);
        assertEquals(count(out, "\"status\":\"succeeded\""), Long.parseLong(page.value("ledger.succeeded")));
        assertEquals(count(out, "\"status\":\"failed\""), Long.parseLong(page.value("ledger.failed")));
        assertEquals("2", page.value("ledger.failed"), "rep-3 and rep-13, refused for good");
        assertEquals("2", page.value("ledger.rejects"));
        assertEquals("26", page.value("ledger.inputRecords"));
        assertTrue(Integer.parseInt(page.value("ledger.attempts")) > 3, "the retries are attempts of their own");

        // the money, as the run priced and billed it
        Path onDemand = dir.resolve("again").resolve("report.html");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, Main.run(List.of("report", String.valueOf(id), "--out", onDemand.toString()),
                new CliContext(new PrintStream(printed, true, StandardCharsets.UTF_8), System.err, dir)));
        assertEquals(onDemand.toString(), printed.toString(StandardCharsets.UTF_8).trim(), "prints the path");
        status = statusJson(id, dir);
        page = render(onDemand, dir.resolve("on-demand"));
        assertFiguresEqual(status, page);
        assertEquals("true", page.value("cost.priced"));
        BigDecimal bars = page.values("attempt.batchUsd").stream().filter(v -> !v.equals("null"))
                .map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, bars.compareTo(new BigDecimal(page.value("cost.bill.batchUsd"))), "attempts add up to the bill");
        assertTrue(new BigDecimal(page.value("cost.bill.batchUsd")).signum() > 0, "a bill for real usage");

        BufferedImage shot = screenshot(onDemand, dir.resolve("shot.png"), dir.resolve("profile-shot"));
        assertDrawn(shot);
    }

    /** Every figure the page must carry equals status --json. */
    private static void assertFiguresEqual(JsonNode status, PageFigures page) {
        for (String name : FIGURES) {
            String shown = page.value(name);
            JsonNode expected = at(status, name);
            Assertions.assertNotNull(expected, name + " is not in status --json: " + status);
            if (expected.isNull()) {
                assertEquals("null", shown, name);
            } else if (expected.isNumber()) {
                assertEquals(0, expected.decimalValue().compareTo(new BigDecimal(shown)),
                        name + ": page " + shown + ", status " + expected);
            } else {
                assertEquals(expected.asText(), shown, name);
            }
        }
    }

    /** The node at a dotted path; null when a part is missing (a JSON null is a NullNode). */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null || !node.has(part)) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    private static JsonNode statusJson(long id, Path cwd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("status", String.valueOf(id), "--json"), new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                cwd));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The DOM Chromium builds from the page with networking cut (every host unresolvable, a proxy
     * that does not exist). The page has no script, so it shows the same with scripts off (Chromium's
     * --dump-dom and --screenshot themselves need scripts on, so that is checked on the DOM).
     */
    private static PageFigures render(Path page, Path profile) throws Exception {
        String dom = chromium(profile, "--dump-dom", page.toUri().toString());
        assertTrue(dom.contains("llm-batch run report"), dom);
        assertTrue(dom.contains("data-chart=\"requestsDone\""), "the requests chart is in the DOM");
        assertFalse(dom.contains("<script"), "a script on the page");
        // nothing on the page points anywhere: no src or href at all, no url() in its style
        assertFalse(Pattern.compile("\\s(src|href|srcset|action)=", Pattern.CASE_INSENSITIVE).matcher(dom).find(),
                "a reference to another resource");
        assertFalse(Pattern.compile("url\\(|@import", Pattern.CASE_INSENSITIVE).matcher(dom).find(),
                "the style loads something");
        return PageFigures.of(dom);
    }

    private static BufferedImage screenshot(Path page, Path png, Path profile) throws Exception {
        chromium(profile, "--window-size=1100,2400",
                "--screenshot=" + png, page.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        Assertions.assertNotNull(image, "no PNG at " + png);
        return image;
    }

    /** Not blank: text, the line and the bars are drawn (the bars' green is the cost chart's). */
    private static void assertDrawn(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        long bar = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff && rgb != 0xf6f7f9) {
                    ink++;
                }
                if (rgb == 0x3d8b5a) {
                    bar++;
                }
            }
        }
        assertTrue(colours.size() > 20, "a page of " + colours.size() + " colours is blank");
        assertTrue(ink > 5_000, "only " + ink + " pixels drawn");
        assertTrue(bar > 50, "the cost bars are not drawn (" + bar + " pixels)");
    }

    private static String chromium(Path profile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu",
                "--no-sandbox", "--no-first-run", "--user-data-dir=" + profile,
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "chromium did not end");
        assertEquals(0, process.exitValue(), "chromium " + command);
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * Prices and the bill are recorded by the job once the estimate and bill work is in; where this
     * run's ledger has neither, they are filled here from the shipped table and from the attempts'
     * own result files (the usage of the succeeded lines), so the page's money can be checked.
     */
    private static long count(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
