package io.github.llmbatch.cli;

import io.github.llmbatch.cost.Usd;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.PriceTable;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "cost" of {@code status --json} (the names scripts read), of status text and of the progress line. */
class CostStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path dir;

    /** A ledger of gpt-4o-mini: 1,000 requests prepared, two resolved attempts billed. */
    private Ledger ledger(Long maxOutputTokens) {
        Ledger ledger = new Ledger();
        ledger.provider = "openai";
        ledger.model = "gpt-4o-mini-2024-07-18";
        Ledger.PrepareSummary prepare = new Ledger.PrepareSummary();
        prepare.inputRecords = 1_000;
        prepare.requests = 1_000;
        prepare.inputTokens = 123_456;
        prepare.inputTokensExact = true;
        prepare.maxOutputTokens = maxOutputTokens;
        ledger.prepare = prepare;
        ledger.attempts.add(attempt(1, 990, 120_000, 30_000, 60_000));
        ledger.attempts.add(attempt(2, 10, 1_300, 0, 700));
        ledger.attempts.add(new Ledger.Attempt()); // not resolved yet: no bill
        return ledger;
    }

    private static Ledger.Attempt attempt(int number, long requests, long input, long cached, long output) {
        Ledger.Attempt a = new Ledger.Attempt();
        a.shard = 1;
        a.attempt = number;
        a.resolved = true;
        a.billed = new Ledger.Usage();
        a.billed.requests = requests;
        a.billed.inputTokens = input;
        a.billed.cachedInputTokens = cached;
        a.billed.outputTokens = output;
        return a;
    }

    private PriceTable table(String model) throws IOException {
        Path file = dir.resolve("prices-" + model + ".json");
        Files.writeString(file, "{\"asOf\":\"2026-11-29\",\"replaceBuiltIn\":true,\"models\":[{\"provider\":\"openai\","
                + "\"model\":\"" + model + "\",\"standard\":{\"input\":0.15,\"cachedInput\":0.075,\"output\":0.6},"
                + "\"batch\":{\"input\":0.075,\"cachedInput\":0.0375,\"output\":0.3}}]}");
        return PriceTable.withFile(file);
    }

    private static JsonNode json(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CliJson.print(value, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return JSON.readTree(bytes.toByteArray());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static BigDecimal usd(String perMillion, long tokens) {
        return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }

    @Test
    void pricedCostHasTheDocumentedNamesAndExactAmounts() throws IOException {
        Ledger ledger = ledger(32_000L);
        LedgerCost.recordPrices(ledger, table("gpt-4o-mini"));

        JsonNode cost = json(CostStatus.of(ledger));

        assertEquals(Set.of("currency", "priced", "estimate", "bill"), names(cost));
        assertEquals("USD", cost.get("currency").asText());
        assertTrue(cost.get("priced").asBoolean());
        JsonNode estimate = cost.get("estimate");
        assertEquals(Set.of("requests", "inputTokens", "inputTokensExact", "maxOutputTokens", "batchUsd", "syncUsd"),
                names(estimate));
        assertEquals(1_000, estimate.get("requests").asLong());
        assertEquals(123_456, estimate.get("inputTokens").asLong());
        assertTrue(estimate.get("inputTokensExact").isBoolean() && estimate.get("inputTokensExact").asBoolean());
        assertEquals(32_000, estimate.get("maxOutputTokens").asLong());
        assertAmount(usd("0.075", 123_456).add(usd("0.3", 32_000)), estimate.get("batchUsd"));
        assertAmount(usd("0.15", 123_456).add(usd("0.6", 32_000)), estimate.get("syncUsd"));

        JsonNode bill = cost.get("bill");
        assertEquals(Set.of("requests", "inputTokens", "cachedInputTokens", "outputTokens", "batchUsd", "syncUsd",
                "savingUsd", "requestsWithoutUsage"), names(bill));
        assertEquals(1_000, bill.get("requests").asLong());
        assertEquals(121_300, bill.get("inputTokens").asLong());
        assertEquals(30_000, bill.get("cachedInputTokens").asLong());
        assertEquals(60_700, bill.get("outputTokens").asLong());
        assertEquals(0, bill.get("requestsWithoutUsage").asLong());
        BigDecimal batch = usd("0.075", 91_300).add(usd("0.0375", 30_000)).add(usd("0.3", 60_700));
        BigDecimal sync = usd("0.15", 91_300).add(usd("0.075", 30_000)).add(usd("0.6", 60_700));
        assertAmount(batch, bill.get("batchUsd"));
        assertAmount(sync, bill.get("syncUsd"));
        assertAmount(sync.subtract(batch), bill.get("savingUsd"));
    }

    private static void assertAmount(BigDecimal expected, JsonNode actual) {
        assertTrue(actual.isNumber(), "a JSON number: " + actual);
        assertEquals(0, expected.compareTo(actual.decimalValue()), "expected " + expected + ", was " + actual);
    }

    @Test
    void anUnpricedModelHasNullAmountsNeverZero() throws IOException {
        Ledger ledger = ledger(null);
        LedgerCost.recordPrices(ledger, table("gpt-4o"));

        JsonNode cost = json(CostStatus.of(ledger));

        assertFalse(cost.get("priced").asBoolean());
        for (String amount : List.of("batchUsd", "syncUsd", "savingUsd")) {
            assertTrue(cost.get("bill").get(amount).isNull(), amount);
        }
        assertTrue(cost.get("estimate").get("batchUsd").isNull());
        assertTrue(cost.get("estimate").get("maxOutputTokens").isNull(), "unbounded without maxTokens");
        assertEquals(121_300, cost.get("bill").get("inputTokens").asLong(), "the tokens are known all the same");
        assertEquals(Set.of("requests", "inputTokens", "inputTokensExact", "maxOutputTokens", "batchUsd", "syncUsd"),
                names(cost.get("estimate")), "nulls are written, not left out");
    }

    @Test
    void beforePrepareTheEstimateIsNull() throws IOException {
        Ledger ledger = new Ledger();
        ledger.provider = "openai";
        ledger.model = "gpt-4o-mini";
        LedgerCost.recordPrices(ledger, table("gpt-4o-mini"));

        JsonNode cost = json(CostStatus.of(ledger));

        assertTrue(cost.get("estimate").isNull());
        assertEquals(0, cost.get("bill").get("requests").asLong());
        assertAmount(BigDecimal.ZERO, cost.get("bill").get("batchUsd"));
    }

    @Test
    void statusTextProgressAndSummaryShowTheSameBill() throws IOException {
        Ledger ledger = ledger(32_000L);
        LedgerCost.recordPrices(ledger, table("gpt-4o-mini"));
        CostStatus cost = CostStatus.of(ledger);
        ExecutionStatus status = new ExecutionStatus(4, 2, "llm-batch", "COMPLETED", "COMPLETED", null, null, null,
                null, List.of(), Map.of(), null, ledger.summary(), cost);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusCommand.print(status, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);

        // batch 0.0068475 + 0.001125 + 0.01821 = 0.0261825; sync 0.052365; saved 0.0261825
        assertTrue(text.contains("  bill: 1000 requests, 121300 input tokens (30000 cached), 60700 output tokens:"
                + " batch $0.026183, at synchronous prices $0.052365, saved $0.026183\n"), text);
        assertTrue(text.contains("  estimate: 1000 requests, 123456 input tokens, at most 32000 output tokens:"), text);
        assertTrue(text.contains("  prices: price table "), text);
        Progress progress = Progress.of(4, "STARTED", Duration.ofSeconds(5), List.of(), ledger.summary(), cost);
        assertTrue(progress.line().endsWith(" | billed $0.026183 (sync $0.052365, saved $0.026183)"), progress.line());
    }

    @Test
    void anIncompleteBillSaysSo() throws IOException {
        Ledger ledger = ledger(32_000L);
        ledger.attempts.get(1).billed.requestsWithoutUsage = 3;
        LedgerCost.recordPrices(ledger, table("gpt-4o"));
        CostStatus cost = CostStatus.of(ledger);

        assertEquals(3, json(cost).get("bill").get("requestsWithoutUsage").asLong());
        assertTrue(cost.billLine().endsWith("cost unknown (model gpt-4o-mini-2024-07-18 of openai is not in the price"
                + " table of 2026-11-29 (add it with priceTable=FILE)); incomplete: 3 billed results had no usage,"
                + " their tokens are not counted"), cost.billLine());
        assertEquals("billed 1000 requests, cost unknown + 3 results without usage", cost.progress());
    }

    @Test
    void amountsForPeople() {
        assertEquals("unknown", Usd.format(null));
        assertEquals("$0.00", Usd.format(BigDecimal.ZERO));
        assertEquals("$0.000075", Usd.format(new BigDecimal("0.000075")));
        assertEquals("$0.012346", Usd.format(new BigDecimal("0.0123456")));
        assertEquals("< $0.000001", Usd.format(new BigDecimal("0.0000000075")));
        assertEquals("$12.35", Usd.format(new BigDecimal("12.345")));
        assertEquals("$0.10", Usd.format(new BigDecimal("0.1")));
    }
}
