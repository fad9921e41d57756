package io.github.llmbatch.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.cost.CostEstimate;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.emulator.EmulatorStats;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimate against the embedded emulator, which bills usage with the same tokenizers OpenAI
 * uses: prepare's input tokens against the merged output's usage, the budget before any upload,
 * and the prices a job records.
 */
class EstimateJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"kettle", "boils", "fast", "but", "the", "lid", "rattles", "excellent",
            "value", "Wasserkocher", "très", "bien", "\u00fcberall", "42", "emoji \ud83d\ude00", "would", "buy"};

    @TempDir
    Path dir;

    @Test
    void aChatJobsEstimatedInputTokensAreWithinTwoPercentOfWhatTheEmulatorBills() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeVariedRecords(input, 1_500); // more than the 1,000 always counted: the rest are extrapolated
        Properties p = params(dir, input);
        p.setProperty("systemPrompt", "Classify the review as positive, neutral or negative. One word.");
        p.setProperty("userTemplate", "Review of {{name}}:\\n{{text}}");
        p.setProperty("maxTokens", "16");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        long billed = billedPromptTokens(dir.resolve("out.jsonl"));
        long estimated = ledger.prepare.inputTokens;
        assertTrue(Math.abs(estimated - billed) <= billed * 0.02, "estimated " + estimated + ", billed " + billed);
        assertFalse(ledger.prepare.inputTokensExact, "a sample was extrapolated");
        assertEquals(Long.valueOf(16L * 1_500), ledger.prepare.maxOutputTokens);
        assertTrue(ledger.prices.priced, ledger.prices.source);
        CostEstimate estimate = LedgerCost.estimate(ledger);
        assertTrue(estimate.batchUsd().signum() > 0 && estimate.syncUsd().compareTo(estimate.batchUsd()) > 0,
                estimate.toString());
    }

    @Test
    void anEmbeddingsJobsInputTokensAreExactlyWhatTheEmulatorBills() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeVariedRecords(input, 300);
        Properties p = params(dir, input);
        p.setProperty("endpoint", "embeddings");
        p.setProperty("model", "text-embedding-3-small");
        p.setProperty("userTemplate", "{{name}}: {{text}}");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(billedPromptTokens(dir.resolve("out.jsonl")), ledger.prepare.inputTokens);
        assertTrue(ledger.prepare.inputTokensExact, "cl100k_base, every request counted");
        assertEquals(Long.valueOf(0), ledger.prepare.maxOutputTokens, "embeddings have no output tokens");
    }

    @Test
    void anotherProvidersTokensAreAnApproximationAndSaidSo() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeVariedRecords(input, 20);
        Properties p = params(dir, input, "anthropic");
        p.setProperty("model", "claude-haiku-4-5");
        p.setProperty("maxTokens", "50");
        p.setProperty("dryRun", "true");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertFalse(ledger.prepare.inputTokensExact);
        assertTrue(ledger.prepare.inputTokens > 20 * 8, "about the texts' size: " + ledger.prepare.inputTokens);
        assertEquals(Long.valueOf(50L * 20), ledger.prepare.maxOutputTokens);
    }

    @Test
    void aBudgetBelowTheEstimateStopsBeforeAnyUploadAndAHigherOneOnRestartCompletes() throws Exception {
        String faults = "validatingMs=37"; // an emulator of this test's own: its counters are this test's
        Path input = dir.resolve("in.jsonl");
        writeVariedRecords(input, 40);
        Properties p = params(dir, input);
        p.setProperty("maxTokens", "100");
        p.setProperty("budget", "0.0001");
        p.setProperty("emulatorFaults", faults);

        JobExecution stopped = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, stopped.getBatchStatus());
        String status = stopped.getExitStatus();
        assertTrue(status.matches("BUDGET_EXCEEDED: estimate \\$0\\.\\d+ > budget \\$0\\.0001"), status);
        StepExecution submit = steps(stopped).get(1);
        assertEquals("submit", submit.getStepName());
        assertEquals(status, submit.getExitStatus());
        EmulatorStats emulator = EmbeddedEmulator.shared(faults).stats();
        assertEquals(0, emulator.filesUploaded());
        assertEquals(0, emulator.batchesCreated());

        p.setProperty("budget", "$5");
        JobExecution done = JobRunner.restart(stopped.getExecutionId(), p);

        assertEquals(BatchStatus.COMPLETED, done.getBatchStatus(), done.getExitStatus());
        assertEquals(List.of("submit", "poll", "merge"), steps(done).stream().map(StepExecution::getStepName).toList(),
                "prepare is not done again");
        assertEquals(1, emulator.filesUploaded());
        assertEquals(40, Files.readAllLines(dir.resolve("out.jsonl")).size());
    }

    @Test
    void withABudgetAnUnpricedModelOrAnUnboundedOutputStopsSayingWhy() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeVariedRecords(input, 5);
        Properties unpriced = params(dir.resolve("a"), input);
        unpriced.setProperty("model", "llama-3-emulated");
        unpriced.setProperty("maxTokens", "10");
        unpriced.setProperty("budget", "100");

        JobExecution first = JobRunner.run(unpriced);

        assertEquals(BatchStatus.FAILED, first.getBatchStatus());
        assertTrue(first.getExitStatus().startsWith("BUDGET_EXCEEDED: estimate unknown > budget $100.00 (model "
                + "llama-3-emulated of openai is not in the price table"), first.getExitStatus());

        Properties unbounded = params(dir.resolve("b"), input);
        unbounded.setProperty("budget", "100");

        JobExecution second = JobRunner.run(unbounded);

        assertEquals(BatchStatus.FAILED, second.getBatchStatus());
        assertTrue(second.getExitStatus().startsWith("BUDGET_EXCEEDED: estimate unbounded > budget $100.00 (no "
                + "maxTokens"), second.getExitStatus());
    }

    @Test
    void aPriceTableFileGivesTheFiguresAndABrokenOneIsRefusedBeforeAnythingIsRead() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeVariedRecords(input, 10);
        Path prices = dir.resolve("prices.json");
        Files.writeString(prices, "{\"asOf\":\"2026-01-01\",\"models\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
                + "\"standard\":{\"input\":2,\"output\":8},\"batch\":{\"input\":1,\"output\":4}}]}");
        Properties p = params(dir.resolve("priced"), input);
        p.setProperty("maxTokens", "10");
        p.setProperty("dryRun", "true");
        p.setProperty("priceTable", prices.toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("priced/work"), execution);
        CostEstimate estimate = LedgerCost.estimate(ledger);
        long in = ledger.prepare.inputTokens;
        assertEquals(0, BigDecimal.valueOf(in * 1 + 100 * 4).movePointLeft(6).compareTo(estimate.batchUsd()));
        assertEquals(0, BigDecimal.valueOf(in * 2 + 100 * 8).movePointLeft(6).compareTo(estimate.syncUsd()));
        assertTrue(ledger.prices.source.contains(prices.toString()), ledger.prices.source);

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"models\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}]}");
        Properties bad = params(dir.resolve("broken"), input);
        bad.setProperty("priceTable", broken.toString());

        JobExecution refused = JobRunner.run(bad);

        assertEquals(BatchStatus.FAILED, refused.getBatchStatus());
        assertTrue(refused.getExitStatus().startsWith("FAILED: price table " + broken), refused.getExitStatus());
        assertTrue(steps(refused).isEmpty(), "no step ran");
        assertFalse(Files.exists(dir.resolve("broken/out.jsonl")));
    }

    private static List<StepExecution> steps(JobExecution execution) {
        return BatchRuntime.getJobOperator().getStepExecutions(execution.getExecutionId());
    }

    /** The prompt tokens the emulator billed, from the usage every merged record carries. */
    private static long billedPromptTokens(Path output) throws IOException {
        long tokens = 0;
        for (String line : Files.readAllLines(output)) {
            JsonNode record = JSON.readTree(line);
            assertEquals("succeeded", record.get("status").asText(), line);
            tokens += record.get("usage").get("prompt_tokens").asLong();
        }
        return tokens;
    }

    /** Records with a name and a review text of varied length and language. */
    private static void writeVariedRecords(Path file, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 1; i <= n; i++) {
            StringBuilder text = new StringBuilder();
            int words = 3 + random.nextInt(60);
            for (int w = 0; w < words; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(8) == 0 ? ". " : " ");
            }
            sb.append("{\"id\":\"r-").append(i).append("\",\"name\":\"item ").append(i).append("\",\"text\":")
                    .append(JSON.writeValueAsString(text.toString().strip())).append("}\n");
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }
}
