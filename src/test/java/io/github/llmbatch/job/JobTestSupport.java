package io.github.llmbatch.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.ProviderProfiles;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inputs and parameters shared by the in-process job tests. */
final class JobTestSupport {

    private JobTestSupport() {
    }

    static Properties params(Path dir, Path input) {
        Properties p = new Properties();
        p.setProperty("input", input.toString());
        p.setProperty("output", dir.resolve("out.jsonl").toString());
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("baseUrl", "embedded");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Say something about {{name}}");
        p.setProperty("pollInterval", "200ms");
        return p;
    }

    /** {@link #params} for this provider. */
    static Properties params(Path dir, Path input, String provider) {
        Properties p = params(dir, input);
        p.setProperty("provider", provider);
        return p;
    }

    /**
     * The fault spec for a run with this provider. The embedded emulator is one per spec, and a plan's
     * batch ordinals and download counts are the emulator's: the Azure run gets an emulator of its own
     * through a spec that differs only by naming the default validating time.
     */
    static String faultsFor(String provider, String spec) {
        return provider.equals("openai") ? spec : spec + ";validatingMs=200";
    }

    /** Each attempt of the job made exactly one provider batch: its idempotency key is on one emulated batch. */
    static void assertOneBatchPerAttempt(Ledger ledger, String faults) {
        List<String> keys = EmbeddedEmulator.shared(faults).stats().batchMetadataValues("llm_batch_key");
        for (Ledger.Attempt attempt : ledger.attempts) {
            assertEquals(1, Collections.frequency(keys, attempt.key), "batches of attempt " + attempt.key);
        }
    }

    /**
     * The {@code status} of a batch as the provider's surface of the embedded emulator shows it (the
     * job's ledger keeps only the normalised state): Azure's below {@code /openai/v1}, OpenAI's below {@code /v1}.
     */
    static String remoteStatus(String provider, String faults, String batchId) throws IOException,
            InterruptedException {
        EmulatorServer emulator = EmbeddedEmulator.shared(faults);
        String base = ProviderProfiles.named(provider).embeddedBaseUrl(emulator.baseUrl().resolve("/"));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/batches/" + batchId)).header("api-key", "test").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return new ObjectMapper().readTree(answer.body()).get("status").asText();
    }

    /** Records {@code r-1 … r-n} with a name and a number field. */
    static void writeRecords(Path file, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("{\"id\":\"r-").append(i).append("\",\"name\":\"item ").append(i).append("\",\"n\":").append(i)
                    .append("}\n");
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    static Ledger ledgerOf(Path workDir, JobExecution execution) {
        long instanceId = BatchRuntime.getJobOperator().getJobInstance(execution.getExecutionId()).getInstanceId();
        return InstancePaths.of(workDir, instanceId).ledgerStore().read().orElseThrow();
    }
}
