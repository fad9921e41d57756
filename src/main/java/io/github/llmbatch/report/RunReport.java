package io.github.llmbatch.report;

import io.github.llmbatch.cost.Bill;
import io.github.llmbatch.cost.CostEstimate;
import io.github.llmbatch.cost.CostFigures;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.Usd;
import io.github.llmbatch.cost.ModelPrice;
import io.github.llmbatch.cost.Rates;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerSummary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched: its
 * Content-Security-Policy forbids every load) with a job instance's counts, batches and attempts,
 * the estimate beside the bill, and two charts. Every figure carries {@code data-figure}, named as
 * in {@code status --json}, and its exact value in {@code data-value}, so scripts and tests can
 * read the page. All figures come from the ledger, through {@link LedgerCost} for the money.
 */
public final class RunReport {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
            main{max-width:980px;margin:0 auto;padding:24px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
            .sub{color:#5a6272;margin:0 0 16px}
            section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:14px 18px;margin:14px 0}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#5a6272}dd{margin:0}
            .eq{font-size:18px}.eq .fig{font-weight:600}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
            th{color:#5a6272;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            .unknown{color:#a15c00}.warn{color:#b00020}.note{color:#5a6272;font-size:13px}
            .saving{color:#11703a;font-weight:600}
            .chart{width:100%;height:auto;max-width:640px;display:block}
            .axis{stroke:#8a93a3;stroke-width:1}.line{fill:none;stroke:#2a62c9;stroke-width:2}
            .dot{fill:#2a62c9}.bar{fill:#3d8b5a}.lbl{font-size:11px;fill:#5a6272}
            .mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all;min-width:14em}
            """;

    private RunReport() {
    }

    /** The page for this ledger, written for this execution at this time. */
    public static String html(Ledger ledger, ExecutionFacts facts, Instant generatedAt) {
        LedgerSummary summary = ledger.summary();
        CostFigures cost = LedgerCost.figures(ledger);
        ModelPrice price = cost.price();
        List<AttemptView> attempts = ledger.attempts.stream().map(a -> AttemptView.of(a, price))
                .sorted(Comparator.comparingInt(AttemptView::shard).thenComparingInt(AttemptView::attempt)).toList();

        Markup m = new Markup();
        m.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                // the page loads nothing: no script, no font, no image from anywhere
                .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; img-src data:\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .raw("<meta name=\"generator\" content=\"llm-batch\">")
                .raw("<title>").text("llm-batch run report: job instance " + facts.instanceId()).raw("</title>")
                .raw("<style>").raw(CSS).raw("</style></head><body><main>");
        header(m, ledger, facts, generatedAt);
        records(m, summary);
        requests(m, summary);
        cost(m, ledger, cost);
        doneChart(m, attempts, summary.requestsTotal());
        costChart(m, attempts, cost);
        attemptTable(m, attempts);
        m.raw("</main></body></html>\n");
        return m.toString();
    }

    private static void header(Markup m, Ledger ledger, ExecutionFacts facts, Instant generatedAt) {
        m.raw("<h1>llm-batch run report</h1><p class=\"sub\">job ").figure("jobName", facts.jobName(),
                        String.valueOf(facts.jobName()))
                .raw(" · instance ").figure("instanceId", facts.instanceId(), String.valueOf(facts.instanceId()))
                .raw(" · execution ").figure("executionId", facts.executionId(), String.valueOf(facts.executionId()))
                .raw("</p><section><dl>");
        row(m, "provider", ledger.provider);
        row(m, "model", ledger.model);
        row(m, "endpoint", ledger.endpoint);
        row(m, "execution", facts.status());
        row(m, "started", timeOrDash(AttemptView.instant(facts.startTime())));
        row(m, "ended", facts.endTime() == null ? "-" : timeOrDash(AttemptView.instant(facts.endTime())));
        if (ledger.merge != null) {
            row(m, "merge ended", timeOrDash(AttemptView.instant(ledger.merge.endedAt)));
        }
        row(m, "report written", time(generatedAt));
        m.raw("</dl></section>");
    }

    private static void row(Markup m, String name, Object value) {
        m.element("dt", null, name).element("dd", null, value == null ? "-" : value);
    }

    private static void records(Markup m, LedgerSummary s) {
        m.raw("<h2>Records</h2><section><p class=\"eq\">input ")
                .figure("ledger.inputRecords", s.inputRecords(), count(s.inputRecords())).raw(" = succeeded ")
                .figure("ledger.succeeded", s.succeeded(), s.succeeded() == null ? "?" : count(s.succeeded()))
                .raw(" + failed ")
                .figure("ledger.failed", s.failed(), s.failed() == null ? "?" : count(s.failed()))
                .raw(" + rejects ").figure("ledger.rejects", s.rejects(), count(s.rejects())).raw("</p>");
        if (s.succeeded() == null) {
            m.element("p", "note", "succeeded and failed are counted by the merge, which has not written every "
                    + "record yet.");
        } else if (s.succeeded() + s.failed() + s.rejects() != s.inputRecords()) {
            m.element("p", "warn", "These counts do not add up: " + (s.succeeded() + s.failed() + s.rejects())
                    + " records accounted for, " + s.inputRecords() + " read.");
        }
        m.raw("</section>");
    }

    private static void requests(Markup m, LedgerSummary s) {
        m.raw("<h2>Requests and batches</h2><section><dl>");
        m.raw("<dt>requests done</dt><dd>").figure("ledger.requestsDone", s.requestsDone(), count(s.requestsDone()))
                .raw(" of ").figure("ledger.requestsTotal", s.requestsTotal(), count(s.requestsTotal())).raw("</dd>");
        m.raw("<dt>batches</dt><dd>").figure("ledger.shards", s.shards(), count(s.shards())).raw(" (one per shard")
                .raw("; latest attempt: ");
        String sep = "";
        for (Map.Entry<String, Integer> e : s.batchesByStatus().entrySet()) {
            m.raw(sep).text(e.getKey() + " " + e.getValue());
            sep = ", ";
        }
        m.raw(")</dd><dt>attempts</dt><dd>").figure("ledger.attempts", s.attempts(), count(s.attempts()))
                .raw(" (provider batches created or to be created)</dd></dl></section>");
    }

    private static void cost(Markup m, Ledger ledger, CostFigures cost) {
        CostEstimate e = cost.estimate();
        Bill b = cost.bill();
        m.raw("<h2>Cost</h2><section><p>currency ").figure("cost.currency", cost.currency(), cost.currency())
                .raw(" · priced ").figure("cost.priced", cost.priced(), cost.priced() ? "yes" : "no").raw("</p>");
        m.raw("<table><thead><tr><th></th><th class=\"n\">estimate (before submit)</th>"
                + "<th class=\"n\">bill (from the results' usage)</th></tr></thead><tbody>");
        m.raw("<tr><th>requests</th><td class=\"n\">");
        countFigure(m, "cost.estimate.requests", e == null ? null : e.requests());
        m.raw("</td><td class=\"n\">").figure("cost.bill.requests", b.requests(), count(b.requests()));
        m.raw("</td></tr><tr><th>input tokens</th><td class=\"n\">");
        countFigure(m, "cost.estimate.inputTokens", e == null ? null : e.inputTokens());
        if (e != null) {
            m.raw(" ").figure("cost.estimate.inputTokensExact", e.inputTokensExact(),
                    e.inputTokensExact() ? "(counted)" : "(approximate)");
        }
        m.raw("</td><td class=\"n\">").figure("cost.bill.inputTokens", b.inputTokens(), count(b.inputTokens()));
        m.raw("</td></tr><tr><th>of which cached</th><td class=\"n\">-</td><td class=\"n\">")
                .figure("cost.bill.cachedInputTokens", b.cachedInputTokens(), count(b.cachedInputTokens()));
        m.raw("</td></tr><tr><th>output tokens</th><td class=\"n\">");
        if (e == null) {
            m.figure("cost.estimate.maxOutputTokens", null, "not counted yet");
        } else {
            m.figure("cost.estimate.maxOutputTokens", e.maxOutputTokens(),
                    e.maxOutputTokens() == null ? "unbounded (no maxTokens)" : "at most " + count(e.maxOutputTokens()));
        }
        m.raw("</td><td class=\"n\">").figure("cost.bill.outputTokens", b.outputTokens(), count(b.outputTokens()));
        m.raw("</td></tr><tr><th>at batch prices</th><td class=\"n\">");
        money(m, "cost.estimate.batchUsd", e == null ? null : e.batchUsd(), why(cost, e));
        m.raw("</td><td class=\"n\">");
        money(m, "cost.bill.batchUsd", b.batchUsd(), why(cost, null));
        m.raw("</td></tr><tr><th>at synchronous prices</th><td class=\"n\">");
        money(m, "cost.estimate.syncUsd", e == null ? null : e.syncUsd(), why(cost, e));
        m.raw("</td><td class=\"n\">");
        money(m, "cost.bill.syncUsd", b.syncUsd(), why(cost, null));
        m.raw("</td></tr><tr><th>saving</th><td class=\"n\">-</td><td class=\"n saving\">");
        money(m, "cost.bill.savingUsd", b.savingUsd(), why(cost, null));
        m.raw("</td></tr></tbody></table>");
        prices(m, ledger, cost.price());
        m.raw("</section>");
    }

    /** Why an amount is unknown; it is never shown as $0. */
    private static String why(CostFigures cost, CostEstimate e) {
        if (!cost.priced()) {
            return "unknown (model not priced)";
        }
        if (e != null && e.maxOutputTokens() == null) {
            return "unknown (output unbounded)";
        }
        return "unknown";
    }

    private static void prices(Markup m, Ledger ledger, ModelPrice price) {
        m.raw("<p class=\"note\">prices: ");
        if (ledger.prices == null) {
            m.text("none recorded for this job instance (its ledger was written before prices were), so every "
                    + "amount is unknown");
        } else {
            m.text(ledger.prices.source);
        }
        m.raw("</p>");
        if (price != null) {
            m.raw("<table class=\"note\"><thead><tr><th>USD per 1M tokens</th><th class=\"n\">input</th>"
                    + "<th class=\"n\">cached input</th><th class=\"n\">output</th></tr></thead><tbody>");
            rates(m, "synchronous", price.standard());
            rates(m, "batch", price.batch());
            m.raw("</tbody></table>");
        }
    }

    private static void rates(Markup m, String tier, Rates r) {
        m.raw("<tr>").element("th", null, tier).element("td", "n", "$" + r.input().toPlainString())
                .element("td", "n", r.cachedInput() == null ? "as input" : "$" + r.cachedInput().toPlainString())
                .element("td", "n", r.output() == null ? "-" : "$" + r.output().toPlainString()).raw("</tr>");
    }

    private static void countFigure(Markup m, String name, Long value) {
        m.figure(name, value, value == null ? "not counted yet" : count(value));
    }

    private static void money(Markup m, String name, BigDecimal usd, String unknown) {
        if (usd == null) {
            m.raw("<span class=\"unknown\">").figure(name, null, unknown).raw("</span>");
        } else {
            m.figure(name, usd.toPlainString(), Usd.format(usd));
        }
    }

    private static void doneChart(Markup m, List<AttemptView> attempts, long total) {
        m.raw("<h2>Requests done over time</h2><section>");
        List<DoneChart.Point> points = DoneChart.points(attempts);
        if (points.isEmpty()) {
            m.element("p", "note", attempts.stream().anyMatch(AttemptView::resolved)
                    ? "No times recorded: this job instance's ledger was written by a version that kept none."
                    : "No attempt has been resolved yet.");
        } else {
            DoneChart.render(m, points, total);
            m.element("p", "note", "Each step is an attempt's results resolved: its requests that succeeded or "
                    + "failed for good (the rest were retried as the next attempt).");
        }
        m.raw("</section>");
    }

    private static void costChart(Markup m, List<AttemptView> attempts, CostFigures cost) {
        m.raw("<h2>Cost by attempt</h2><section>");
        List<AttemptView> costed = attempts.stream().filter(a -> a.batchUsd() != null).toList();
        if (!cost.priced()) {
            m.element("p", "unknown", "Unknown: the model is not priced.");
        } else if (costed.isEmpty()) {
            m.element("p", "note", "No attempt has billed usage recorded yet.");
        } else {
            CostChart.render(m, costed);
            m.element("p", "note", "Each bar is an attempt's billed tokens at batch prices; together they are "
                    + "the bill.");
        }
        m.raw("</section>");
    }

    private static void attemptTable(Markup m, List<AttemptView> attempts) {
        m.raw("<h2>Batches and attempts</h2><section><table><thead><tr><th>shard</th><th>attempt</th>"
                + "<th>batch</th><th>status</th><th class=\"n\">requests</th><th class=\"n\">completed</th>"
                + "<th class=\"n\">failed</th><th class=\"n\">retried</th><th>created (UTC)</th>"
                + "<th class=\"n\">at the provider</th><th class=\"n\">upload to resolved</th>"
                + "<th class=\"n\">batch cost</th></tr></thead><tbody>");
        for (AttemptView a : attempts) {
            m.raw("<tr>").element("td", "n", a.shard()).element("td", "n", a.attempt())
                    .element("td", "mono", a.batchId() == null ? "-" : a.batchId()).element("td", null, a.status())
                    .element("td", "n", count(a.requests())).element("td", "n", count(a.completed()))
                    .element("td", "n", count(a.failed()))
                    .element("td", "n", a.resolved() ? count(a.retried()) : "-")
                    .raw("<td").attr("title", timeOrDash(a.created())).raw(">")
                    .text(a.created() == null ? "-" : TIME_OF_DAY.format(a.created())).raw("</td>")
                    .element("td", "n", durationOrDash(a.atProvider()))
                    .element("td", "n", durationOrDash(a.total()))
                    .raw("<td class=\"n\">");
            String name = "attempt.batchUsd";
            m.raw("<span").attr("data-shard", a.shard()).attr("data-attempt", a.attempt()).raw(">");
            if (a.batchUsd() != null) {
                m.figure(name, a.batchUsd().toPlainString(), Usd.format(a.batchUsd()));
            } else {
                m.figure(name, null, a.billed() == null ? "-" : "unknown");
            }
            m.raw("</span></td></tr>");
        }
        m.raw("</tbody></table>");
        if (attempts.isEmpty()) {
            m.element("p", "note", "No attempt yet.");
        }
        m.raw("</section>");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }


    static String time(Instant t) {
        return TIME.format(t);
    }

    private static String timeOrDash(Instant t) {
        return t == null ? "-" : time(t);
    }

    private static String durationOrDash(Duration d) {
        return d == null ? "-" : duration(d);
    }

    /** 850 ms, 12.4 s, 3 min 05 s, 2 h 07 min. */
    static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
