package io.github.llmbatch.cost;

import io.github.llmbatch.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EstimateTextTest {

    @TempDir
    Path dir;

    @Test
    void aPricedEstimateShowsBothPricesTheSavingAndTheBudget() throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"asOf\":\"2026-01-01\",\"models\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
                + "\"standard\":{\"input\":2,\"output\":8},\"batch\":{\"input\":1,\"output\":4}}]}");
        Ledger ledger = ledger("gpt-4o-mini", 1_000_000, true, 250_000L);
        LedgerCost.recordPrices(ledger, PriceTable.of(file.toString()));

        String text = EstimateText.of(ledger, new BigDecimal("1.50"));

        assertTrue(text.contains("input tokens:         1,000,000 (exact, o200k_base)"), text);
        assertTrue(text.contains("output tokens:        at most 250,000"), text);
        // 1M x $1 + 250k x $4 per 1M at batch prices; 1M x $2 + 250k x $8 synchronously
        assertTrue(text.contains("cost at batch prices: $2.00 at most"), text);
        assertTrue(text.contains("cost at sync prices:  $4.00"), text);
        assertTrue(text.contains("saving:               $2.00"), text);
        assertTrue(text.contains("prices:               price table " + file), text);
        assertTrue(text.contains("budget:               $1.50: would stop the job before any upload, "
                + "BUDGET_EXCEEDED: estimate $2.00 > budget $1.50"), text);
    }

    @Test
    void anUnpricedModelIsUnknownNeverZeroAndAnApproximationSaysSo() {
        Ledger ledger = ledger("claude-unknown-9", 1234, false, null);
        ledger.provider = "anthropic";
        LedgerCost.recordPrices(ledger, PriceTable.builtIn());

        String text = EstimateText.of(ledger, null);

        assertTrue(text.contains("approximate: claude-unknown-9 is counted with OpenAI's o200k_base"), text);
        assertTrue(text.contains("output tokens:        unbounded: no maxTokens"), text);
        assertTrue(text.contains("cost at batch prices: unknown (model claude-unknown-9 of anthropic is not in the"
                + " price table"), text);
        assertFalse(text.contains("$0"), text);
        assertFalse(text.contains("budget"), text);
    }

    private static Ledger ledger(String model, long inputTokens, boolean exact, Long maxOutputTokens) {
        Ledger ledger = new Ledger();
        ledger.provider = "openai";
        ledger.model = model;
        ledger.prepare = new Ledger.PrepareSummary();
        ledger.prepare.requests = 1000;
        ledger.prepare.inputTokens = inputTokens;
        ledger.prepare.inputTokensExact = exact;
        ledger.prepare.maxOutputTokens = maxOutputTokens;
        return ledger;
    }
}
