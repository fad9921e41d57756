package io.github.llmbatch.cost;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceTableTest {

    @TempDir
    Path dir;

    @Test
    void theShippedTableIsDatedAndPricesBatchBelowStandard() {
        PriceTable table = PriceTable.builtIn();
        assertTrue(table.asOf().matches("\\d{4}-\\d{2}-\\d{2}"), table.asOf());
        ModelPrice mini = table.find("openai", "gpt-4o-mini").orElseThrow();
        assertTrue(mini.batch().input().compareTo(mini.standard().input()) < 0);
        assertTrue(mini.batch().output().compareTo(mini.standard().output()) < 0);
    }

    @Test
    void aDatedSnapshotMatchesItsFamilyButNotALongerName() {
        PriceTable table = table("""
                {"asOf": "2026-01-01", "replaceBuiltIn": true, "aliases": {"azure": "openai"}, "models": [
                 {"provider": "openai", "model": "gpt-4o", "standard": {"input": 2.5, "output": 10}, "batch": {"input": 1.25, "output": 5}},
                 {"provider": "anthropic", "model": "claude-haiku-4-5", "standard": {"input": 1, "output": 5}, "batch": {"input": 0.5, "output": 2.5}},
                 {"provider": "gemini", "model": "gemini-2.0-flash", "standard": {"input": 0.1, "output": 0.4}, "batch": {"input": 0.05, "output": 0.2}}]}
                """);
        assertEquals("gpt-4o", table.find("openai", "gpt-4o-2024-08-06").orElseThrow().model());
        assertEquals("gpt-4o", table.find("openai", "GPT-4o").orElseThrow().model());
        assertEquals("claude-haiku-4-5", table.find("anthropic", "claude-haiku-4-5-20251001").orElseThrow().model());
        assertEquals("gemini-2.0-flash", table.find("gemini", "models/gemini-2.0-flash-001").orElseThrow().model());
        assertTrue(table.find("openai", "gpt-4o-mini").isEmpty(), "gpt-4o-mini is not gpt-4o");
        assertTrue(table.find("anthropic", "gpt-4o").isEmpty(), "a model is priced by its own provider");
        assertEquals("openai", table.find("azure", "gpt-4o").orElseThrow().provider(), "azure charges OpenAI's prices");
    }

    @Test
    void aFileExtendsTheShippedTableAndReplacesItsEntries() {
        PriceTable table = table("""
                {"asOf": "2026-02-02", "models": [
                 {"provider": "openai", "model": "gpt-4o-mini", "standard": {"input": 9, "output": 9}, "batch": {"input": 1, "output": 2}},
                 {"provider": "openai", "model": "my-finetune", "standard": {"input": 3, "output": 4}, "batch": {"input": 1.5, "output": 2}}]}
                """);
        assertEquals(new BigDecimal("9"), table.find("openai", "gpt-4o-mini").orElseThrow().standard().input());
        assertTrue(table.find("openai", "my-finetune").isPresent());
        assertTrue(table.find("openai", "my-finetune").orElseThrow().source().contains("prices.json"));
    }

    @Test
    void costsAreExactAndCachedTokensUseTheirRate() {
        Rates rates = new Rates(new BigDecimal("0.15"), new BigDecimal("0.075"), new BigDecimal("0.6"));
        // 1,000,001 input of which 400,000 cached, 333 output
        BigDecimal cost = rates.costOf(new Tokens(1_000_001, 400_000, 333));
        BigDecimal expected = new BigDecimal("0.15").multiply(BigDecimal.valueOf(600_001))
                .add(new BigDecimal("0.075").multiply(BigDecimal.valueOf(400_000)))
                .add(new BigDecimal("0.6").multiply(BigDecimal.valueOf(333)))
                .divide(BigDecimal.valueOf(1_000_000));
        assertEquals(0, expected.compareTo(cost), cost.toPlainString());
        assertEquals("0.1206", rates.costOf(new Tokens(800_000, 0, 1_000)).toPlainString(),
                "0.12 for 800,000 input + 0.0006 for 1,000 output, not rounded");
        Rates embeddings = new Rates(new BigDecimal("0.02"), null, null);
        assertEquals(0, new BigDecimal("0.02").compareTo(embeddings.costOf(new Tokens(1_000_000, 100, 0))),
                "no cached price: cached tokens at the input price");
    }

    @Test
    void anUnknownModelIsUnpricedNeverZero() {
        Bill bill = Bill.of(3, new Tokens(100, 0, 10), null);
        assertNull(bill.batchUsd());
        assertNull(bill.savingUsd());
        CostEstimate estimate = CostEstimate.of(3, 100, false, 30L, null);
        assertNull(estimate.batchUsd());
        assertFalse(estimate.inputTokensExact());
    }

    @Test
    void aBrokenFileIsRefusedNamingTheEntry() {
        Path file = write("""
                {"models": [{"provider": "openai", "model": "x", "standard": {"output": 1}, "batch": {"input": 1}}]}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PriceTable.withFile(file));
        assertTrue(e.getMessage().contains("models[0] (x) standard"), e.getMessage());
        Path notJson = write("{ not json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.withFile(notJson))
                .getMessage().contains("not a valid price table"));
    }

    private PriceTable table(String json) {
        return PriceTable.withFile(write(json));
    }

    private Path write(String json) {
        try {
            Path file = dir.resolve("prices.json");
            Files.writeString(file, json);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
