package io.github.llmbatch.job;

import io.github.llmbatch.input.InputFormat;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.shard.ShardLimits;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobSettingsTest {

    private static Properties minimal() {
        Properties p = new Properties();
        p.setProperty("input", "data/tickets.jsonl");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Classify {{subject}}");
        return p;
    }

    private static Properties with(String... kv) {
        Properties p = minimal();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static void assertRefused(String name, String value, String... alsoInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobSettings.from(with(name, value)), name + "=" + value);
        assertTrue(e.getMessage().contains(name), name + "=" + value + " -> " + e.getMessage());
        for (String s : alsoInMessage) {
            assertTrue(e.getMessage().contains(s), name + "=" + value + " -> " + e.getMessage());
        }
    }

    @Test
    void defaults() {
        JobSettings s = JobSettings.from(minimal());
        Path input = Path.of("data/tickets.jsonl");
        assertEquals(input, s.input());
        assertEquals(InputFormat.JSONL, s.inputFormat());
        assertEquals("id", s.idField());
        assertEquals("openai", s.provider());
        assertEquals("https://api.openai.com/v1", s.baseUrl());
        assertFalse(s.embedded());
        assertEquals("OPENAI_API_KEY", s.apiKeyEnv());
        assertEquals(Endpoint.CHAT_COMPLETIONS, s.endpoint());
        assertEquals("gpt-4o-mini", s.model());
        assertNull(s.systemPrompt());
        assertNull(s.maxTokens());
        assertNull(s.temperature());
        assertEquals(Path.of(System.getProperty(JobSettings.WORK_DIR_PROPERTY, "llm-batch-work")), s.workDir());
        assertEquals(Path.of("data/tickets.jsonl.results.jsonl"), s.output());
        assertEquals(Path.of("data/tickets.jsonl.results.jsonl.rejects.jsonl"), s.rejects());
        assertEquals(50_000, s.maxRequestsPerFile());
        assertEquals(200_000_000, s.maxBytesPerFile());
        assertEquals(Duration.ofSeconds(60), s.pollInterval());
        assertEquals(3, s.maxAttempts());
        assertFalse(s.dryRun());
        assertEquals("", s.emulatorFaults());
        assertEquals(new ShardLimits(50_000, 200_000_000, 50_000), s.shardLimits());
        assertNull(s.requestSpec().systemPrompt());
        assertEquals("Classify {{subject}}", s.requestSpec().userTemplate().toString());
    }

    @Test
    void givenValuesAreUsed() {
        JobSettings s = JobSettings.from(with("input", "in.CSV", "idField", "ticket", "provider", "OpenAI",
                "baseUrl", "Embedded", "apiKeyEnv", "MY_KEY", "endpoint", "/embeddings", "systemPrompt", "Be {{tone}}",
                "maxTokens", " 256 ", "temperature", "0.5", "workDir", "/tmp/w", "output", "out.csv",
                "rejects", "bad.jsonl", "maxRequestsPerFile", "1000", "maxBytesPerFile", "64KiB",
                "pollInterval", "500ms", "maxAttempts", "5", "dryRun", "true", "emulatorFaults", "drop=r-1"));
        assertEquals(InputFormat.CSV, s.inputFormat());
        assertEquals("ticket", s.idField());
        assertEquals("openai", s.provider());
        assertTrue(s.embedded());
        assertEquals("MY_KEY", s.apiKeyEnv());
        assertEquals(Endpoint.EMBEDDINGS, s.endpoint());
        assertEquals("Be {{tone}}", s.requestSpec().systemPrompt().toString());
        assertEquals(256, s.maxTokens());
        assertEquals(0.5, s.temperature());
        assertEquals(Path.of("/tmp/w"), s.workDir());
        assertEquals(Path.of("out.csv"), s.output());
        assertEquals(Path.of("bad.jsonl"), s.rejects());
        assertEquals(1000, s.maxRequestsPerFile());
        assertEquals(65_536, s.maxBytesPerFile());
        assertEquals(Duration.ofMillis(500), s.pollInterval());
        assertEquals(5, s.maxAttempts());
        assertTrue(s.dryRun());
        assertEquals("drop=r-1", s.emulatorFaults());
        assertEquals(InputFormat.JSONL, JobSettings.from(with("input", "in.csv", "inputFormat", "jsonl")).inputFormat());
    }

    @Test
    void theProvidersProfileNamesTheEndpoints() {
        JobSettings chat = JobSettings.from(minimal());
        assertEquals(Endpoint.CHAT_COMPLETIONS, chat.endpoint());
        assertEquals("/v1/chat/completions", chat.endpointName());
        JobSettings embeddings = JobSettings.from(with("endpoint", "embeddings"));
        assertEquals(Endpoint.EMBEDDINGS, embeddings.endpoint());
        assertEquals("/v1/embeddings", embeddings.endpointName());
        assertEquals(Endpoint.EMBEDDINGS, JobSettings.from(with("endpoint", "/v1/embeddings")).endpoint());
        assertEquals("openai", chat.profile().name());
    }

    @Test
    void blankValuesMeanTheDefault() {
        JobSettings s = JobSettings.from(with("maxAttempts", "  ", "pollInterval", "", "systemPrompt", ""));
        assertEquals(3, s.maxAttempts());
        assertEquals(Duration.ofSeconds(60), s.pollInterval());
        assertNull(s.requestSpec().systemPrompt());
    }

    @Test
    void requiredParametersAreNamed() {
        for (String name : List.of("input", "model", "userTemplate")) {
            Properties p = minimal();
            p.remove(name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobSettings.from(p));
            assertEquals("job parameter '" + name + "' is required", e.getMessage());
            p.setProperty(name, "   ");
            assertThrows(IllegalArgumentException.class, () -> JobSettings.from(p), name + " blank");
        }
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), JobSettings.duration("500ms", "x"));
        assertEquals(Duration.ofSeconds(2), JobSettings.duration("2s", "x"));
        assertEquals(Duration.ofMinutes(5), JobSettings.duration("5m", "x"));
        assertEquals(Duration.ofHours(1), JobSettings.duration("1h", "x"));
        assertEquals(Duration.ofSeconds(10), JobSettings.duration(" 10 s ", "x"));
        for (String bad : List.of("5", "1.5s", "2 minutes", "-1s", "s", "1d", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JobSettings.duration(bad, "pollInterval"), bad);
            assertTrue(e.getMessage().startsWith("pollInterval '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void sizes() {
        assertEquals(200_000_000, JobSettings.from(with("maxBytesPerFile", "200MB")).maxBytesPerFile());
        assertEquals(65_536, JobSettings.from(with("maxBytesPerFile", "64KiB")).maxBytesPerFile());
        assertEquals(65_536, JobSettings.from(with("maxBytesPerFile", "64 kib")).maxBytesPerFile());
        assertEquals(123_456, JobSettings.from(with("maxBytesPerFile", "123456")).maxBytesPerFile());
        assertEquals(10, JobSettings.from(with("maxBytesPerFile", "10B")).maxBytesPerFile());
        assertEquals(2_000, JobSettings.from(with("maxBytesPerFile", "2KB")).maxBytesPerFile());
        assertEquals(3L * 1024 * 1024, JobSettings.from(with("maxBytesPerFile", "3MiB")).maxBytesPerFile());
        assertEquals(2_000_000_000L, JobSettings.from(with("maxBytesPerFile", "2GB")).maxBytesPerFile());
        assertEquals(1L << 30, JobSettings.from(with("maxBytesPerFile", "1GiB")).maxBytesPerFile());
    }

    @Test
    void eachBadValueNamesItsParameter() {
        assertRefused("maxTokens", "many", "many");
        assertRefused("maxTokens", "1.5");
        assertRefused("maxTokens", "0");
        assertRefused("maxTokens", "-100");
        assertRefused("temperature", "warm", "warm");
        assertRefused("temperature", "NaN");
        assertRefused("temperature", "Infinity");
        assertRefused("maxRequestsPerFile", "0");
        assertRefused("maxRequestsPerFile", "-5");
        assertRefused("maxRequestsPerFile", "lots");
        assertRefused("maxRequestsPerFile", "99999999999999999999");
        assertRefused("maxBytesPerFile", "0");
        assertRefused("maxBytesPerFile", "12XB", "12XB");
        assertRefused("maxBytesPerFile", "-1MB");
        assertRefused("maxBytesPerFile", "99999999999999999999");
        assertRefused("maxBytesPerFile", "99999999999GiB");
        assertRefused("pollInterval", "soon", "soon");
        assertRefused("pollInterval", "0s");
        assertRefused("pollInterval", "99999999999999999999s");
        assertRefused("pollInterval", "9999999999999999h");
        assertRefused("maxAttempts", "0");
        assertRefused("maxAttempts", "three");
        assertRefused("maxAttempts", "3000000000");
        assertRefused("inputFormat", "xml");
        assertRefused("endpoint", "/v1/completions");
        assertRefused("provider", "anthropic-x", "not supported", "the known providers are openai, gemini");
        assertRefused("userTemplate", "Hi {{name", "unclosed");
        assertRefused("systemPrompt", "{{ }}", "empty");
    }

    @Test
    void dryRunIsTrueOrFalseOnly() {
        assertTrue(JobSettings.from(with("dryRun", "TRUE")).dryRun());
        assertFalse(JobSettings.from(with("dryRun", "false")).dryRun());
        assertFalse(JobSettings.from(minimal()).dryRun());
        for (String bad : List.of("yes", "1", "on", "no")) {
            assertRefused("dryRun", bad, "'" + bad + "' is not true or false");
        }
    }

    @Test
    void temperatureIsBetweenZeroAndTwo() {
        assertEquals(0.0, JobSettings.from(with("temperature", "0")).temperature());
        assertEquals(2.0, JobSettings.from(with("temperature", "2")).temperature());
        assertRefused("temperature", "2.5", "'2.5' is outside 0 to 2");
        assertRefused("temperature", "-0.1", "'-0.1' is outside 0 to 2");
    }

    @Test
    void azureNeedsABaseUrlAndSaysWhatOneLooksLike() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobSettings.from(with("provider", "azure")));
        assertTrue(e.getMessage().contains("baseUrl")
                && e.getMessage().contains("https://<resource>.openai.azure.com/openai/v1"), e.getMessage());
        JobSettings s = JobSettings.from(with("provider", "azure", "baseUrl", "embedded"));
        assertEquals("azure", s.provider());
        assertEquals("AZURE_OPENAI_API_KEY", s.apiKeyEnv());
        assertEquals(100_000, s.maxRequestsPerFile());
    }
}
