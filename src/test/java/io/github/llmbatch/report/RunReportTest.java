package io.github.llmbatch.report;

import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.PriceTable;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {

    private static final Instant NOW = Instant.parse("2026-11-29T18:00:00Z");
    private static final String HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;";

    @Test
    void hostileValuesAreEscapedEverywhere() {
        Ledger ledger = ledger("openai", HOSTILE);
        ledger.endpoint = HOSTILE;
        ledger.attempts.get(0).batchId = HOSTILE;
        ledger.attempts.get(0).status = HOSTILE;
        ledger.prices = new Ledger.Prices();
        ledger.prices.source = HOSTILE;
        String html = RunReport.html(ledger, new ExecutionFacts(HOSTILE, 7, 9, HOSTILE, "not a time", null), NOW);

        assertFalse(html.contains("<script"), "a script element on the page");
        assertFalse(html.contains("<img"), "an img element on the page");
        // attribute values emptied (escaped ones may hold the text): no tag is left with the hostile attribute
        String tags = html.replaceAll("\"[^\"]*\"", "\"\"");
        assertFalse(java.util.regex.Pattern.compile("<[a-zA-Z][^<>]*onerror").matcher(tags).find(),
                "an attribute injected");
        // each hostile value is shown, as text: the model, endpoint, batch id, status, source, job name
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
                + "&amp;amp;";
        assertTrue(countOf(html, escaped) >= 6, html);
        assertEquals(HOSTILE, PageFigures.of(html).value("jobName"), "the exact value survives in data-value");
    }

    @Test
    void anUnpricedModelShowsUnknownNeverZero() {
        Ledger ledger = ledger("openai", "my-finetune-xyz");
        LedgerCost.recordPrices(ledger, PriceTable.builtIn());
        billed(ledger.attempts.get(0), 10, 500, 0, 30);
        String html = RunReport.html(ledger, facts(), NOW);
        PageFigures figures = PageFigures.of(html);

        assertEquals("false", figures.value("cost.priced"));
        for (String usd : List.of("cost.bill.batchUsd", "cost.bill.syncUsd", "cost.bill.savingUsd",
                "cost.estimate.batchUsd", "cost.estimate.syncUsd")) {
            assertEquals("null", figures.value(usd), usd);
        }
        assertEquals(List.of("null", "null"), figures.values("attempt.batchUsd"), "billed but unpriced, not billed");
        assertEquals("500", figures.value("cost.bill.inputTokens"), "the tokens are known without a price");
        assertTrue(html.contains("unknown (model not priced)"), html);
        assertFalse(html.contains("$0<") || html.contains("$0.00<"), "an unknown amount shown as $0");
        assertTrue(html.contains("is not in the price table"), "the prices' source says why");
        assertTrue(html.contains("Unknown: the model is not priced."), "the cost chart says so instead of bars");
    }

    @Test
    void pricedFiguresAreExactAndTheAttemptsAddUpToTheBill() {
        Ledger ledger = ledger("openai", "gpt-4o-mini-2024-07-18");
        LedgerCost.recordPrices(ledger, PriceTable.builtIn());
        ledger.prepare.inputTokens = 1234;
        ledger.prepare.inputTokensExact = true;
        ledger.prepare.maxOutputTokens = 16L * ledger.prepare.requests;
        billed(ledger.attempts.get(0), 8, 1000, 200, 80);
        billed(ledger.attempts.get(1), 2, 250, 0, 20);
        String html = RunReport.html(ledger, facts(), NOW);
        PageFigures figures = PageFigures.of(html);

        var cost = LedgerCost.figures(ledger);
        assertEquals("true", figures.value("cost.priced"));
        assertEquals(cost.bill().batchUsd().toPlainString(), figures.value("cost.bill.batchUsd"));
        assertEquals(cost.bill().savingUsd().toPlainString(), figures.value("cost.bill.savingUsd"));
        assertEquals(cost.estimate().batchUsd().toPlainString(), figures.value("cost.estimate.batchUsd"));
        assertEquals("true", figures.value("cost.estimate.inputTokensExact"));
        BigDecimal sum = figures.values("attempt.batchUsd").stream().map(BigDecimal::new)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(cost.bill().batchUsd()), "the bars add up to the bill");
        // the first attempt's tokens at the recorded batch prices: 800 uncached, 200 cached, 80 output
        BigDecimal first = LedgerCost.price(ledger).orElseThrow().batchUsd(new io.github.llmbatch.cost.Tokens(1000, 200, 80));
        assertEquals(0, first.compareTo(new BigDecimal(figures.values("attempt.batchUsd").get(0))));
        assertTrue(html.contains("data-chart=\"costByAttempt\""), "the cost chart is drawn");
        assertTrue(html.contains("data-chart=\"requestsDone\""), "the requests chart is drawn");
    }

    @Test
    void countsShowTheEquationAndTheChartStepsAtEachResolution() {
        Ledger ledger = ledger("openai", "gpt-4o-mini");
        ledger.merge = new Ledger.MergeSummary();
        ledger.merge.succeeded = 9L;
        ledger.merge.failed = 1L;
        String html = RunReport.html(ledger, facts(), NOW);
        PageFigures figures = PageFigures.of(html);

        assertEquals("12", figures.value("ledger.inputRecords"));
        assertEquals("9", figures.value("ledger.succeeded"));
        assertEquals("1", figures.value("ledger.failed"));
        assertEquals("2", figures.value("ledger.rejects"));
        assertEquals("10", figures.value("ledger.requestsDone"));
        assertFalse(html.contains("do not add up"));
        // from 0 at the first upload, 8 when attempt 1 (2 retried) was resolved, 10 after attempt 2
        assertEquals(List.of("0", "8", "10"), doneSteps(html));
    }

    /** A ledger as the version before the report wrote it: no times, no prices, no merge summary. */
    @Test
    void anOldLedgerWithoutTimesStillRenders(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(LedgerStore.FILE_NAME), """
                {"version":1,"jobInstanceId":3,"runId":"ab12cd34","provider":"openai","endpoint":"/v1/chat/completions",
                 "model":"gpt-4o-mini","prepare":{"inputRecords":5,"requests":5,"rejects":0,"requestBytes":900},
                 "shards":[{"index":0,"requestsFile":"s0","recordsFile":"r0","requests":5,"bytes":900}],
                 "attempts":[{"shard":0,"attempt":1,"requestsFile":"s0","requests":5,"key":"k","fileId":"file-1",
                   "uploadStartedAt":"2025-01-01T10:00:00Z","createStartedAt":"2025-01-01T10:00:01Z","batchId":"batch_1",
                   "status":"completed","total":5,"completed":5,"failed":0,"resolved":true,"retried":0}],
                 "recordFields":["id","name"]}
                """);
        Ledger ledger = new LedgerStore(dir).read().orElseThrow();
        String html = RunReport.html(ledger, facts(), NOW);
        PageFigures figures = PageFigures.of(html);

        assertEquals("5", figures.value("ledger.requestsDone"));
        assertEquals("null", figures.value("ledger.succeeded"), "not counted by that version's merge");
        assertEquals("null", figures.value("cost.bill.batchUsd"));
        assertTrue(html.contains("written by a version that kept none"), "the chart says why it is missing");
        assertTrue(html.contains("none recorded for this job instance"), "no prices: said so");
        assertTrue(html.contains("batch_1"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void thePageLoadsNothing() {
        String html = RunReport.html(ledger("openai", "gpt-4o-mini"), facts(), NOW);
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""));
        assertFalse(html.matches("(?s).*(src|href)=\"?(https?:)?//.*"), "a reference to another location");
        assertFalse(html.contains("<script"));
    }

    private static List<String> doneSteps(String html) {
        return java.util.regex.Pattern.compile("data-done=\"(\\d+)\"").matcher(html).results().map(r -> r.group(1))
                .toList();
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static ExecutionFacts facts() {
        return new ExecutionFacts("llm-batch", 7, 9, "merge finished", "2026-11-29T17:00:00Z", null);
    }

    private static void billed(Ledger.Attempt a, long requests, long input, long cached, long output) {
        a.billed = new Ledger.Usage();
        a.billed.requests = requests;
        a.billed.inputTokens = input;
        a.billed.cachedInputTokens = cached;
        a.billed.outputTokens = output;
    }

    /** 12 records, 2 rejected; one shard of 10 requests, resolved in two attempts (2 retried once). */
    private static Ledger ledger(String provider, String model) {
        Ledger ledger = new Ledger();
        ledger.jobInstanceId = 7;
        ledger.provider = provider;
        ledger.model = model;
        ledger.endpoint = "/v1/chat/completions";
        ledger.prepare = new Ledger.PrepareSummary();
        ledger.prepare.inputRecords = 12;
        ledger.prepare.rejects = 2;
        ledger.prepare.requests = 10;
        Ledger.Shard shard = new Ledger.Shard();
        shard.requests = 10;
        ledger.shards.add(shard);
        ledger.attempts.add(attempt(1, 10, 2, "2026-11-29T17:00:01Z", "2026-11-29T17:05:00Z"));
        ledger.attempts.add(attempt(2, 2, 0, "2026-11-29T17:05:01Z", "2026-11-29T17:07:30Z"));
        return ledger;
    }

    private static Ledger.Attempt attempt(int n, long requests, long retried, String started, String resolved) {
        Ledger.Attempt a = new Ledger.Attempt();
        a.attempt = n;
        a.requests = requests;
        a.retried = retried;
        a.uploadStartedAt = started;
        a.createdAt = started;
        a.endedAt = resolved;
        a.resolvedAt = resolved;
        a.resolved = true;
        a.batchId = "batch_" + n;
        a.status = "completed";
        return a;
    }
}
