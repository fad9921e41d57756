package io.github.llmbatch.it;

import io.github.llmbatch.emulator.EmulatorConfig;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.emulator.EmulatorTimings;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.pipeline.CrashPoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs killed with SIGKILL at each dangerous point, then restarted in a new JVM: each run
 * ends COMPLETED with output identical to an uninterrupted run, and the provider saw exactly one
 * batch per shard attempt.
 */
class CrashRestartIT {

    static final String KEY = "sk-test-crash-4f1d9a7c";
    static final int RECORDS = 3_000;
    static final Duration LIMIT = Duration.ofMinutes(3);

    static EmulatorServer emulator;
    static Path baselineOutput;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startEmulatorAndRunBaseline() throws Exception {
        emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withTimings(EmulatorTimings.defaults().withInProgressMs(1_500)));
        Path input = shared.resolve("in.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= RECORDS; i++) {
            sb.append("{\"id\":\"c-").append(i).append("\",\"text\":\"line ").append(i)
                    .append(" with \\\"quotes\\\" and ünïcödé\",\"n\":").append(i).append("}\n");
        }
        Files.writeString(input, sb, StandardCharsets.UTF_8);
        Path dir = Files.createDirectories(shared.resolve("baseline"));
        Dist.Result r = dist(dir).run(LIMIT, "run", jobProperties(dir, input).toString());
        assertEquals(0, r.exitCode(), r.output());
        baselineOutput = dir.resolve("out.jsonl");
        assertEquals(RECORDS, Files.readAllLines(baselineOutput).size());
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.MID_PREPARE, CrashPoints.AFTER_UPLOAD, CrashPoints.AFTER_CREATE,
            CrashPoints.MID_POLL, CrashPoints.MID_DOWNLOAD, CrashPoints.MID_MERGE})
    void killedJvmRestartsToTheSameOutputWithoutPayingTwice(String point) throws Exception {
        Path dir = Files.createDirectories(shared.resolve(point));
        Path props = jobProperties(dir, shared.resolve("in.jsonl"));

        Dist.Running first = dist(dir).env("JAVA_OPTS", "-Dllmbatch.test.haltAt=" + point
                + " -Dllmbatch.test.markerDir=" + dir).start("run", props.toString());
        first.awaitFile(dir.resolve(point), LIMIT);
        long executionId = first.executionId();
        first.kill9();

        Dist.Result restart = dist(dir).run(LIMIT, "restart", Long.toString(executionId));

        assertEquals(0, restart.exitCode(), restart.output());
        assertArrayEquals(Files.readAllBytes(baselineOutput), Files.readAllBytes(dir.resolve("out.jsonl")),
                "output after a kill at " + point + " differs from an uninterrupted run");
        assertOneBatchPerAttempt(dir);
    }

    @Test
    void aSecondExecutionOfARunningInstanceIsRefused() throws Exception {
        Path dir = Files.createDirectories(shared.resolve("lock"));
        Path props = jobProperties(dir, shared.resolve("in.jsonl"));
        Dist.Running first = dist(dir).env("JAVA_OPTS", "-Dllmbatch.test.haltAt=" + CrashPoints.MID_POLL
                + " -Dllmbatch.test.markerDir=" + dir).start("run", props.toString());
        try {
            first.awaitFile(dir.resolve(CrashPoints.MID_POLL), LIMIT);
            long executionId = first.executionId();

            Dist.Result second = dist(dir).run(LIMIT, "restart", Long.toString(executionId));

            assertNotEquals(0, second.exitCode(), second.output());
            assertTrue(second.output().contains("in use by another running execution"), second.output());
            assertTrue(first.process().isAlive(), "the first execution is untouched");
        } finally {
            first.kill9();
        }
    }

    private static void assertOneBatchPerAttempt(Path dir) throws IOException {
        Ledger ledger = ledgerIn(dir.resolve("work"));
        String prefix = "lb-" + ledger.runId + "-";
        List<String> keys = emulator.stats().batchMetadataValues("llm_batch_key").stream()
                .filter(k -> k.startsWith(prefix)).toList();
        assertEquals(keys.size(), new HashSet<>(keys).size(), "a key used for two batches: " + keys);
        assertEquals(ledger.attempts.size(), keys.size(), "batches at the provider vs attempts: " + keys);
        assertEquals(3, ledger.attempts.size());
    }

    static Ledger ledgerIn(Path workDir) throws IOException {
        try (Stream<Path> dirs = Files.list(workDir)) {
            Path instance = dirs.filter(d -> d.getFileName().toString().startsWith("instance-")).findFirst()
                    .orElseThrow();
            return new LedgerStore(instance).read().orElseThrow();
        }
    }

    static Dist dist(Path dir) {
        return new Dist(dir).env("OPENAI_API_KEY", KEY);
    }

    static Path jobProperties(Path dir, Path input) throws IOException {
        Path props = dir.resolve("job.properties");
        Files.writeString(props, String.join("\n",
                "input=" + input,
                "output=" + dir.resolve("out.jsonl"),
                "workDir=" + dir.resolve("work"),
                "baseUrl=" + emulator.baseUrl(),
                "model=gpt-4o-mini",
                "systemPrompt=Answer briefly.",
                "userTemplate=Tell me about: {{text}}",
                "maxRequestsPerFile=1000",
                "pollInterval=200ms",
                ""));
        return props;
    }
}
