package io.github.llmbatch.job;

import io.github.llmbatch.ledger.LedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedParametersTest {

    @TempDir
    Path dir;

    private Properties params(String... kv) {
        Properties p = new Properties();
        p.setProperty("input", dir.resolve("in.jsonl").toString());
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Say {{name}}");
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private FixedParameters of(String... kv) {
        return FixedParameters.of(JobSettings.from(params(kv)));
    }

    @Test
    void theParametersThatShapeTheWorkAreFixedNormalizedAndTheOthersAreNot() {
        Map<String, String> values = of().values();
        assertEquals(List.of("input", "inputFormat", "idField", "provider", "endpoint", "model", "systemPrompt",
                "userTemplate", "maxTokens", "temperature", "maxRequestsPerFile", "maxBytesPerFile",
                "inputDataSource", "inputQuery", "responseSchema", "requestOptions"), List.copyOf(values.keySet()));
        assertEquals("JSONL", values.get("inputFormat"));
        assertEquals("/v1/chat/completions", values.get("endpoint"));
        assertEquals("200000000", values.get("maxBytesPerFile"));
        assertEquals(null, values.get("maxTokens"));
    }

    @Test
    void theSameValueSpeltAnotherWayIsNoChangeAndOperationalOnesAreNotCompared() {
        Map<String, String> first = of().values();
        assertEquals(List.of(), of("maxBytesPerFile", "200MB", "endpoint", "/chat/completions", "provider", "OpenAI",
                "inputFormat", "jsonl", "idField", "id", "maxTokens", " ", "pollInterval", "1h", "maxAttempts", "9",
                "output", dir.resolve("elsewhere.jsonl").toString(), "dryRun", "true").changesFrom(first));
        assertEquals(List.of(), of("endpoint", "chat").changesFrom(first), "a ledger recorded the path before 'chat' existed");
        assertEquals(List.of("temperature (unset) -> '0.5'", "maxRequestsPerFile '50000' -> '10'"),
                of("temperature", "0.5", "maxRequestsPerFile", "10").changesFrom(first));
    }

    @Test
    void aParameterTheLedgerDoesNotRecordIsNotCompared() {
        Map<String, String> olderLedger = new HashMap<>(of().values());
        olderLedger.remove("temperature");
        assertEquals(List.of(), of("temperature", "0.5").changesFrom(olderLedger));
    }

    @Test
    void theFirstExecutionRecordsThemInTheLedgerAndALaterOneIsHeldToThem() {
        LedgerStore store = new LedgerStore(dir.resolve("instance-7"));
        of().holdFor(store, 7);
        of("pollInterval", "5s").holdFor(store, 7);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> of("userTemplate", "Say {{name}} twice").holdFor(store, 7));

        assertEquals("gpt-4o-mini", store.read().orElseThrow().fixedParameters.get("model"));
        assertTrue(e.getMessage().startsWith("job instance 7 cannot change userTemplate 'Say {{name}}' -> "
                + "'Say {{name}} twice': "), e.getMessage());
    }
}
