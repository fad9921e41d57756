package io.github.llmbatch.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.cost.Bill;
import io.github.llmbatch.cost.CostFigures;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.cost.PriceTable;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bill of whole jobs against the embedded emulator: Σ usage of the merged output's succeeded
 * records × the prices of a table written here, exactly, whatever the retries; nulls, never 0, for a
 * model the table does not have.
 */
class BillJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per 1M tokens; unlike any shipped figure, and with a cached-input rate. */
    private static final BigDecimal STD_IN = new BigDecimal("3.2");
    private static final BigDecimal STD_CACHED = new BigDecimal("1.6");
    private static final BigDecimal STD_OUT = new BigDecimal("12.8");
    private static final BigDecimal BATCH_IN = new BigDecimal("1.7");
    private static final BigDecimal BATCH_CACHED = new BigDecimal("0.85");
    private static final BigDecimal BATCH_OUT = new BigDecimal("6.3");

    @TempDir
    Path dir;

    private Path priceTable() throws IOException {
        StringBuilder models = new StringBuilder();
        for (String[] pm : new String[][] {{"openai", "gpt-4o-mini"}, {"anthropic", "claude-haiku-4-5"},
                {"gemini", "gemini-2.5-flash"}}) {
            models.append(models.length() == 0 ? "" : ",").append("{\"provider\":\"").append(pm[0])
                    .append("\",\"model\":\"").append(pm[1]).append("\",\"kind\":\"chat\",\"standard\":{\"input\":")
                    .append(STD_IN).append(",\"cachedInput\":").append(STD_CACHED).append(",\"output\":")
                    .append(STD_OUT).append("},\"batch\":{\"input\":").append(BATCH_IN).append(",\"cachedInput\":")
                    .append(BATCH_CACHED).append(",\"output\":").append(BATCH_OUT).append("}}");
        }
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"asOf\":\"2026-11-29\",\"replaceBuiltIn\":true,\"aliases\":{\"azure\":\"openai\"},"
                + "\"models\":[" + models + "]}");
        return file;
    }

    /** requests, input, cached input, output of the output's succeeded records, read as each provider writes usage. */
    private static long[] succeededUsage(Path output, String provider) throws IOException {
        long[] sum = new long[4];
        for (String line : Files.readAllLines(output)) {
            JsonNode record = JSON.readTree(line);
            if (!"succeeded".equals(record.path("status").asText())) {
                continue;
            }
            JsonNode u = record.path("usage");
            assertTrue(u.isObject(), line);
            sum[0]++;
            switch (provider) {
                case "anthropic" -> {
                    sum[1] += u.path("input_tokens").asLong() + u.path("cache_read_input_tokens").asLong()
                            + u.path("cache_creation_input_tokens").asLong();
                    sum[2] += u.path("cache_read_input_tokens").asLong();
                    sum[3] += u.path("output_tokens").asLong();
                }
                case "gemini" -> {
                    sum[1] += u.path("promptTokenCount").asLong() + u.path("toolUsePromptTokenCount").asLong();
                    sum[2] += u.path("cachedContentTokenCount").asLong();
                    sum[3] += u.path("candidatesTokenCount").asLong() + u.path("thoughtsTokenCount").asLong();
                }
                default -> {
                    sum[1] += u.path("prompt_tokens").asLong();
                    sum[2] += u.path("prompt_tokens_details").path("cached_tokens").asLong();
                    sum[3] += u.path("completion_tokens").asLong();
                }
            }
        }
        return sum;
    }

    private static BigDecimal cost(long[] tokens, BigDecimal in, BigDecimal cached, BigDecimal out) {
        return in.multiply(BigDecimal.valueOf(tokens[1] - tokens[2]))
                .add(cached.multiply(BigDecimal.valueOf(tokens[2])))
                .add(out.multiply(BigDecimal.valueOf(tokens[3])))
                .divide(BigDecimal.valueOf(1_000_000));
    }

    private static void assertSameAmount(BigDecimal expected, BigDecimal actual, String what) {
        assertNotNull(actual, what);
        assertEquals(0, expected.compareTo(actual), what + ": expected " + expected + ", was " + actual);
    }

    private Properties job(String provider, String model, String faults) throws IOException {
        writeRecords(dir.resolve("in.jsonl"), 40);
        Properties p = params(dir, dir.resolve("in.jsonl"), provider);
        p.setProperty("model", model);
        p.setProperty("maxTokens", "32");
        p.setProperty("maxRequestsPerFile", "15");
        p.setProperty("emulatorFaults", JobTestSupport.faultsFor(provider, faults));
        return p;
    }

    /**
     * Retries after 500s, a permanent 400 (failed, not billed) and, on OpenAI, an expired batch whose
     * second half runs in attempt 2: the bill is the succeeded records' usage, each once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
    void theBillIsTheSucceededRecordsUsageTimesThePricesExactly(String provider) throws Exception {
        String model = switch (provider) {
            case "anthropic" -> "claude-haiku-4-5";
            case "gemini" -> "gemini-2.5-flash";
            default -> "gpt-4o-mini";
        };
        String faults = "fail500=r-(3|17|33)|bill-" + provider + ";fail400=r-8"
                + (provider.equals("openai") ? ";expire=2;shuffle=false" : "");
        JobExecution execution = JobRunner.run(job(provider, model, faults));

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertTrue(ledger.attempts.size() > ledger.shards.size(), "some requests were retried: " + ledger.attempts.size());
        LedgerCost.recordPrices(ledger, PriceTable.withFile(priceTable()));
        CostFigures figures = LedgerCost.figures(ledger);
        Bill bill = figures.bill();

        long[] usage = succeededUsage(dir.resolve("out.jsonl"), provider);
        assertEquals(39, usage[0], "40 records, r-8 failed for good");
        assertEquals(List.of(usage[0], usage[1], usage[2], usage[3]),
                List.of(bill.requests(), bill.inputTokens(), bill.cachedInputTokens(), bill.outputTokens()));
        assertTrue(usage[1] > 0 && usage[3] > 0, "the emulator reports usage");
        assertEquals(0, LedgerCost.requestsWithoutUsage(ledger));
        assertTrue(figures.priced());
        BigDecimal batch = cost(usage, BATCH_IN, BATCH_CACHED, BATCH_OUT);
        BigDecimal sync = cost(usage, STD_IN, STD_CACHED, STD_OUT);
        assertSameAmount(batch, bill.batchUsd(), "batch");
        assertSameAmount(sync, bill.syncUsd(), "sync");
        assertSameAmount(sync.subtract(batch), bill.savingUsd(), "saving");
    }

    @Test
    void aModelWithoutPricesHasATokenBillAndNoAmounts() throws Exception {
        JobExecution execution = JobRunner.run(job("openai", "gpt-unpriced-test", "fail500=r-2|bill-unpriced"));

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertNotNull(ledger.prices, "the job recorded the prices it had: none");
        assertFalse(ledger.prices.priced);
        assertTrue(ledger.prices.source.contains("gpt-unpriced-test"), ledger.prices.source);
        CostFigures figures = LedgerCost.figures(ledger);
        assertFalse(figures.priced());
        long[] usage = succeededUsage(dir.resolve("out.jsonl"), "openai");
        assertEquals(40, usage[0]);
        assertEquals(List.of(usage[0], usage[1], usage[3]),
                List.of(figures.bill().requests(), figures.bill().inputTokens(), figures.bill().outputTokens()));
        assertNull(figures.bill().batchUsd());
        assertNull(figures.bill().syncUsd());
        assertNull(figures.bill().savingUsd());
    }
}
