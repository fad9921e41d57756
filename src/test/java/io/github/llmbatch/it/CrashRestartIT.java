package io.github.llmbatch.it;

import io.github.llmbatch.cost.Bill;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.emulator.EmulatorConfig;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.emulator.EmulatorTimings;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.pipeline.AttemptSubmitter;
import io.github.llmbatch.ledger.CrashPoints;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs killed with SIGKILL at each dangerous point, then restarted in a new JVM: each run
 * ends COMPLETED with output identical to an uninterrupted run of the same provider, and the provider
 * saw exactly one upload and one batch per shard attempt. OpenAI at every point; Gemini, whose batches
 * are found again by {@code displayName} instead of metadata, at the points where a remote call's
 * answer is lost.
 */
class CrashRestartIT {

    static final String KEY = "sk-test-crash-4f1d9a7c";
    static final int RECORDS = 24_000;
    static final Duration LIMIT = Duration.ofMinutes(3);

    /** The protocols the emulator speaks, each with its uninterrupted run's output once it has one. */
    enum Api {
        OPENAI("openai", "gpt-4o-mini"),
        GEMINI("gemini", "gemini-2.5-flash");

        final String provider;
        final String model;

        Api(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        String baseUrl() {
            return (this == GEMINI ? emulator.geminiBaseUrl() : emulator.baseUrl()).toString();
        }

        /** The idempotency key of every batch the emulator created with this protocol, in creation order. */
        List<String> batchKeys() {
            return this == GEMINI ? emulator.stats().batchDisplayNames()
                    : emulator.stats().batchMetadataValues("llm_batch_key");
        }

        /** OpenAI's directories keep their crash point's name; other providers' are prefixed. */
        Path dir(String name) {
            return shared.resolve(this == OPENAI ? name : provider + "-" + name);
        }
    }

    static EmulatorServer emulator;
    static final Map<Api, Path> BASELINES = new EnumMap<>(Api.class);

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
        baseline(Api.OPENAI);
    }

    /** The output of an uninterrupted run with this provider, run on first use. */
    static synchronized Path baseline(Api api) throws Exception {
        Path output = BASELINES.get(api);
        if (output == null) {
            Path dir = Files.createDirectories(api.dir("baseline"));
            Dist.Result r = dist(dir).run(LIMIT, "run", jobProperties(api, dir, shared.resolve("in.jsonl")).toString());
            assertEquals(0, r.exitCode(), r.output());
            output = dir.resolve("out.jsonl");
            assertEquals(RECORDS, Files.readAllLines(output).size());
            BASELINES.put(api, output);
        }
        return output;
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    /**
     * Past the first checkpoint where a step checkpoints (prepare and merge every 20,000 records;
     * the second chunk's checkpoint is the one not yet committed), or at the first time otherwise.
     */
    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.MID_PREPARE + ":22000", CrashPoints.PREPARE_BEFORE_CHECKPOINT + ":2",
            CrashPoints.AFTER_UPLOAD, CrashPoints.AFTER_CREATE, CrashPoints.MID_POLL, CrashPoints.MID_DOWNLOAD,
            CrashPoints.BEFORE_RESOLVED + ":2",
            CrashPoints.MID_MERGE + ":22000", CrashPoints.MERGE_BEFORE_CHECKPOINT + ":2"})
    void killedJvmRestartsToTheSameOutputWithoutPayingTwice(String pointAndNth) throws Exception {
        Path dir = killAt(Api.OPENAI, pointAndNth);

        restartToTheBaseline(Api.OPENAI, dir);
    }

    /**
     * Gemini: killed after the upload or the create answered, before the ledger recorded the file or
     * the batch. Gemini batches carry no metadata: the restart finds the batch by its
     * {@code displayName} (and the file by its display name) instead of creating it again.
     */
    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.AFTER_UPLOAD, CrashPoints.AFTER_CREATE})
    void geminiKilledAfterACallRestartsToTheSameOutputWithoutASecondUploadOrBatch(String point) throws Exception {
        Path dir = killAt(Api.GEMINI, point);

        Ledger.Attempt shard1 = ledgerIn(dir.resolve("work")).attempt(1, 1).orElseThrow();
        if (point.equals(CrashPoints.AFTER_CREATE)) {
            assertTrue(shard1.createStartedAt != null && shard1.batchId == null, "create intent without its batch");
            assertEquals(List.of(shard1.key), Api.GEMINI.batchKeys().stream().filter(shard1.key::equals).toList(),
                    "the batch was created before the kill");
        } else {
            assertTrue(shard1.uploadStartedAt != null && shard1.fileId == null, "upload intent without its file");
            assertTrue(emulator.stats().batchFileNames().contains(AttemptSubmitter.remoteFileName(shard1)),
                    "the file was uploaded before the kill");
        }

        restartToTheBaseline(Api.GEMINI, dir);
    }

    /**
     * Ledger saves: the fixed parameters before the first step (1), the prices (2), the prepare step's
     * (3); then five a shard: attempt, upload intent, file id, create intent, batch id. Save 8 records
     * shard 1's batch: killed before the rename, the ledger on disk has the create intent only. Save 11
     * records shard 2's file id: killed half-way through the temporary file, the ledger on disk has the
     * upload intent only.
     */
    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.LEDGER_BEFORE_RENAME + ":8", CrashPoints.LEDGER_MID_WRITE + ":11"})
    void killedInTheMiddleOfALedgerSaveTheOldLedgerStandsAndTheRestartFindsWhatWasCreated(String pointAndNth)
            throws Exception {
        Path dir = killAt(Api.OPENAI, pointAndNth);

        Path instance = instanceDir(dir.resolve("work"));
        Ledger onDisk = new LedgerStore(instance).read().orElseThrow();
        assertTrue(Files.exists(instance.resolve(LedgerStore.FILE_NAME + ".tmp")), "the new ledger was being written");
        if (pointAndNth.startsWith(CrashPoints.LEDGER_BEFORE_RENAME)) {
            Ledger.Attempt shard1 = onDisk.attempt(1, 1).orElseThrow();
            assertTrue(shard1.createStartedAt != null && shard1.batchId == null, "create intent without its batch");
            assertEquals(1, Api.OPENAI.batchKeys().stream()
                    .filter(k -> k.equals(shard1.key)).count(), "the batch was created before the kill");
        } else {
            Ledger.Attempt shard2 = onDisk.attempt(2, 1).orElseThrow();
            assertTrue(shard2.uploadStartedAt != null && shard2.fileId == null, "upload intent without its file");
            assertTrue(emulator.stats().batchFileNames().contains(AttemptSubmitter.remoteFileName(shard2)),
                    "the file was uploaded before the kill");
        }

        restartToTheBaseline(Api.OPENAI, dir);
    }

    /** Runs the job in a JVM that halts at {@code POINT[:N]}, kills it and returns its directory. */
    private static Path killAt(Api api, String pointAndNth) throws Exception {
        String point = pointAndNth.split(":")[0];
        Path dir = Files.createDirectories(api.dir(point));
        Path props = jobProperties(api, dir, shared.resolve("in.jsonl"));
        Dist.Running first = dist(dir).env("JAVA_OPTS", "-Dllmbatch.test.haltAt=" + pointAndNth
                + " -Dllmbatch.test.markerDir=" + dir).start("run", props.toString());
        first.awaitFile(dir.resolve(point), LIMIT);
        Files.writeString(dir.resolve("execution"), Long.toString(first.executionId()));
        first.kill9();
        return dir;
    }

    private static void restartToTheBaseline(Api api, Path dir) throws Exception {
        Path baseline = baseline(api);
        Dist.Result restart = dist(dir).run(LIMIT, "restart", Files.readString(dir.resolve("execution")));

        assertEquals(0, restart.exitCode(), restart.output());
        assertArrayEquals(Files.readAllBytes(baseline), Files.readAllBytes(dir.resolve("out.jsonl")),
                "output after a kill (" + dir.getFileName() + ") differs from an uninterrupted run");
        assertOneUploadAndOneBatchPerAttempt(api, dir);
        assertSameBill(api, dir);
        assertReportCountsEachRecordOnce(baseline, dir);
        assertSameInputTokens(baseline, dir);
    }

    /** Prepare's token count rides in its checkpoints: a prepare killed and restarted counts each request once. */
    private static void assertSameInputTokens(Path baseline, Path dir) throws IOException {
        Ledger.PrepareSummary uninterrupted = ledgerIn(baseline.resolveSibling("work")).prepare;
        Ledger.PrepareSummary restarted = ledgerIn(dir.resolve("work")).prepare;
        assertTrue(uninterrupted.inputTokens > 0);
        assertEquals(uninterrupted.inputTokens, restarted.inputTokens, "the input tokens after a kill");
        assertEquals(uninterrupted.inputTokensExact, restarted.inputTokensExact);
    }

    /** Each request billed once: a resolve cut short and run again, or a batch found again, adds nothing. */
    private static void assertSameBill(Api api, Path dir) throws IOException {
        Bill uninterrupted = LedgerCost.bill(ledgerIn(api.dir("baseline").resolve("work")));
        assertEquals(RECORDS, uninterrupted.requests());
        assertEquals(uninterrupted, LedgerCost.bill(ledgerIn(dir.resolve("work"))),
                "bill after a kill (" + dir.getFileName() + ")");
    }

    /** The merge's counts ride in its checkpoints: a merge killed and restarted counts each record once. */
    private static void assertReportCountsEachRecordOnce(Path baseline, Path dir) throws IOException {
        String out = Files.readString(baseline);
        Ledger.MergeSummary merge = ledgerIn(dir.resolve("work")).merge;
        assertEquals(out.split("\"status\":\"succeeded\"", -1).length - 1, merge.succeeded, "succeeded");
        assertEquals(out.split("\"status\":\"failed\"", -1).length - 1, merge.failed, "failed");
        assertTrue(Files.isRegularFile(dir.resolve("out.jsonl.report.html")), "the run report beside the output");
    }

    @Test
    void aSecondExecutionOfARunningInstanceIsRefused() throws Exception {
        Path dir = Files.createDirectories(shared.resolve("lock"));
        Path props = jobProperties(Api.OPENAI, dir, shared.resolve("in.jsonl"));
        Dist.Running first = dist(dir).env("JAVA_OPTS", "-Dllmbatch.test.haltAt=" + CrashPoints.MID_POLL
                + " -Dllmbatch.test.markerDir=" + dir).start("run", props.toString());
        long executionId;
        try {
            first.awaitFile(dir.resolve(CrashPoints.MID_POLL), LIMIT);
            executionId = first.executionId();

            // the CLI refuses before touching the job repository
            Dist.Result second = dist(dir).run(LIMIT, "restart", Long.toString(executionId));
            assertNotEquals(0, second.exitCode(), second.output());
            assertTrue(second.output().contains("is running right now in another process"), second.output());

            // JobOperator.restart directly: JBeret lets it through, the job's own lock stops it
            String direct = directRestart(dir, executionId);
            assertTrue(direct.contains("status=FAILED exit=REFUSED: job instance work directory"), direct);
            assertTrue(first.process().isAlive(), "the first execution is untouched");
        } finally {
            first.kill9();
        }
        long latest = Long.parseLong(directRestartId(dir));
        Dist.Result last = dist(dir).run(LIMIT, "restart", Long.toString(latest));
        assertEquals(0, last.exitCode(), last.output());
        assertArrayEquals(Files.readAllBytes(baseline(Api.OPENAI)), Files.readAllBytes(dir.resolve("out.jsonl")));
        assertOneUploadAndOneBatchPerAttempt(Api.OPENAI, dir);
        assertSameBill(Api.OPENAI, dir);
    }

    private static String directRestart(Path dir, long executionId) throws Exception {
        Path lib = Dist.home().resolve("lib");
        ProcessBuilder pb = new ProcessBuilder("java", "-cp", lib + "/*:" + Path.of("target/test-classes").toAbsolutePath(),
                DirectRestart.class.getName(), Long.toString(executionId))
                .redirectErrorStream(true).redirectOutput(dir.resolve("direct-restart.log").toFile());
        pb.environment().put("LLM_BATCH_REPOSITORY", new Dist(dir).repositoryUrl());
        pb.environment().put("OPENAI_API_KEY", KEY);
        Process p = pb.start();
        assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "direct restart did not end");
        return Files.readString(dir.resolve("direct-restart.log"));
    }

    private static String directRestartId(Path dir) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("execution=(\\d+) ")
                .matcher(Files.readString(dir.resolve("direct-restart.log")));
        assertTrue(m.find());
        return m.group(1);
    }

    /** Batches by their idempotency key, uploads by their file name, which derives from it. */
    private static void assertOneUploadAndOneBatchPerAttempt(Api api, Path dir) throws IOException {
        Ledger ledger = ledgerIn(dir.resolve("work"));
        assertEquals(api.provider, ledger.provider);
        assertEquals(3, ledger.attempts.size());
        String prefix = "lb-" + ledger.runId + "-";
        List<String> keys = api.batchKeys().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
        List<String> uploads = emulator.stats().batchFileNames().stream()
                .filter(name -> name.startsWith(AttemptSubmitter.FILE_NAME_PREFIX + prefix)).sorted().toList();
        List<String> attemptKeys = ledger.attempts.stream().map(a -> a.key).sorted().toList();
        List<String> attemptFiles = ledger.attempts.stream().map(AttemptSubmitter::remoteFileName).sorted().toList();
        assertEquals(attemptKeys, keys, "batches at the provider vs attempts");
        assertEquals(attemptFiles, uploads, "uploads at the provider vs attempts");
    }

    static Ledger ledgerIn(Path workDir) throws IOException {
        return new LedgerStore(instanceDir(workDir)).read().orElseThrow();
    }

    static Path instanceDir(Path workDir) throws IOException {
        try (Stream<Path> dirs = Files.list(workDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("instance-")).findFirst().orElseThrow();
        }
    }

    /** With a key for every provider: the emulator takes any. */
    static Dist dist(Path dir) {
        return new Dist(dir).env("OPENAI_API_KEY", KEY).env("GEMINI_API_KEY", KEY);
    }

    static Path jobProperties(Api api, Path dir, Path input) throws IOException {
        Path props = dir.resolve("job.properties");
        Files.writeString(props, String.join("\n",
                "input=" + input,
                "output=" + dir.resolve("out.jsonl"),
                "workDir=" + dir.resolve("work"),
                "provider=" + api.provider,
                "baseUrl=" + api.baseUrl(),
                "model=" + api.model,
                "systemPrompt=Answer briefly.",
                "userTemplate=Tell me about: {{text}}",
                "maxRequestsPerFile=8000",
                "pollInterval=200ms",
                ""));
        return props;
    }
}
