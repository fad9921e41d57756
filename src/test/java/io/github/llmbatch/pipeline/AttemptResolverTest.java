package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import io.github.llmbatch.provider.openai.OpenAiRequestLines;
import io.github.llmbatch.shard.LineReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttemptResolverTest {

    @TempDir
    Path dir;

    static List<String> customIds(String requestsFile) throws IOException {
        List<String> ids = new ArrayList<>();
        try (LineReader lines = new LineReader(Path.of(requestsFile), 0)) {
            while (lines.next()) {
                ids.add(OpenAiRequestLines.customIdOf(lines.buffer(), lines.start(), lines.length()));
            }
        }
        return ids;
    }

    private static List<String> keys(EmulatedRun e) {
        return e.server.stats().batchMetadataValues(OpenAiProvider.IDEMPOTENCY_METADATA_KEY);
    }

    /** Runs six records in one shard with the given faults; returns the shard's attempts. */
    private List<Ledger.Attempt> run(String faults, int maxAttempts) throws IOException {
        Path work = Files.createTempDirectory(dir, "run-");
        try (EmulatedRun e = EmulatedRun.start(work, faults, 6, 100, maxAttempts)) {
            e.runToEnd();
            List<Ledger.Attempt> attempts = e.saved().attemptsOf(1);
            assertEquals(attempts.size(), keys(e).size(), "one batch per attempt");
            assertEquals(attempts.stream().map(a -> a.key).toList(), keys(e));
            for (Ledger.Attempt a : attempts) {
                assertTrue(a.resolved);
                assertEquals(a.attempt, attempts.indexOf(a) + 1);
                assertTrue(a.key.endsWith("-s1-a" + a.attempt), a.key);
            }
            return attempts;
        }
    }

    @Test
    void aCleanBatchIsResolvedWithNothingToRetry() throws IOException {
        List<Ledger.Attempt> attempts = run("", 3);
        assertEquals(1, attempts.size());
        Ledger.Attempt a = attempts.get(0);
        assertEquals("completed", a.status);
        assertEquals(6, a.completed);
        assertEquals(0, a.retried);
        assertTrue(Files.isRegularFile(Path.of(a.outputFile)));
        assertEquals(6, Files.readAllLines(Path.of(a.outputFile)).size());
        assertFalse(Files.exists(Path.of(a.requestsFile).resolveSibling("shard-00001.attempt-2.requests.jsonl")));
    }

    @Test
    void serverErrorsAreRetriedAlone() throws IOException {
        List<Ledger.Attempt> attempts = run("fail500=r-(2|5)", 3);
        assertEquals(2, attempts.size());
        assertEquals(2, attempts.get(0).retried);
        assertEquals(2, attempts.get(1).requests);
        assertEquals(List.of("r-2", "r-5"), customIds(attempts.get(1).requestsFile));
        assertEquals(0, attempts.get(1).retried);
    }

    @Test
    void permanentFailuresAreNotRetriedButThrottlingAndTimeoutsAre() throws IOException {
        List<Ledger.Attempt> attempts = run("fail400=r-3;fail429=r-4;timeout=r-6", 3);
        assertEquals(2, attempts.size());
        assertEquals(List.of("r-4", "r-6"), customIds(attempts.get(1).requestsFile));
    }

    @Test
    void aRequestMissingFromBothFilesIsRetried() throws IOException {
        List<Ledger.Attempt> attempts = run("drop=r-2", 3);
        assertEquals(2, attempts.size());
        assertEquals(List.of("r-2"), customIds(attempts.get(1).requestsFile));
    }

    @Test
    void anExpiredBatchRetriesWhatDidNotRun() throws IOException {
        List<Ledger.Attempt> attempts = run("expire=1;shuffle=false", 3);
        assertEquals("expired", attempts.get(0).status);
        assertEquals(List.of("r-4", "r-5", "r-6"), customIds(attempts.get(1).requestsFile));
        assertEquals("completed", attempts.get(1).status);
    }

    @Test
    void anAllFailedBatchWithoutOutputFileRetriesEverything() throws IOException {
        List<Ledger.Attempt> attempts = run("allFail=1", 3);
        assertNull(attempts.get(0).outputFile);
        assertEquals(6, attempts.get(0).retried);
        assertEquals(List.of("r-1", "r-2", "r-3", "r-4", "r-5", "r-6"), customIds(attempts.get(1).requestsFile));
        assertEquals(0, attempts.get(1).retried);
    }

    @Test
    void maxAttemptsIsNeverExceeded() throws IOException {
        List<Ledger.Attempt> attempts = run("allFail=1,2,3", 2);
        assertEquals(2, attempts.size());
        assertEquals(6, attempts.get(0).retried);
        assertEquals(0, attempts.get(1).retried, "nothing is retried once the attempts are used up");
        assertFalse(Files.exists(Path.of(attempts.get(1).requestsFile)
                .resolveSibling("shard-00001.attempt-3.requests.jsonl")));

        attempts = run("fail500=r-1", 1);
        assertEquals(1, attempts.size());
        assertEquals(0, attempts.get(0).retried);
    }

    @Test
    void theEnqueuedTokenLimitCreatesTheBatchAgainUnderANewKey() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "tokenLimit=1", 6, 100, 3)) {
            e.runToEnd();
            List<Ledger.Attempt> attempts = e.saved().attemptsOf(1);
            assertEquals(1, attempts.size(), "a refused batch is not an attempt of its requests");
            Ledger.Attempt a = attempts.get(0);
            assertEquals(1, a.tokenLimitRefusals);
            assertTrue(a.key.endsWith("-s1-a1-t1"), a.key);
            assertEquals(List.of(a.key.substring(0, a.key.length() - 3), a.key), keys(e));
            assertEquals("completed", a.status);
            assertEquals(1, e.server.stats().filesUploaded(), "the uploaded file is reused");
        }
    }

    @Test
    void tokenLimitBackOffDoublesUpToAnHour() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 2, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            String key = a.key;
            a.batchId = "batch_x";
            a.createStartedAt = e.run.now();
            RemoteBatch refused = new RemoteBatch("batch_x", BatchState.FAILED, "failed", 0, 0, 0, null, null,
                    List.of(new BatchError("token_limit_exceeded", "Enqueued token limit reached", null)), key);
            AttemptResolver resolver = new AttemptResolver(e.run);

            long before = System.currentTimeMillis();
            resolver.resolve(a, refused);
            long after = System.currentTimeMillis();
            assertTrue(a.notBefore >= before + 20 && a.notBefore <= after + 20, "2 x pollInterval");
            assertEquals(key + "-t1", a.key);
            assertNull(a.batchId);
            assertNull(a.createStartedAt);
            assertNull(a.status);
            assertFalse(a.resolved);
            assertEquals(key + "-t1", e.saved().attempt(1, 1).orElseThrow().key, "saved before anything else");

            a.batchId = "batch_y";
            before = System.currentTimeMillis();
            resolver.resolve(a, refused);
            after = System.currentTimeMillis();
            assertTrue(a.notBefore >= before + 40 && a.notBefore <= after + 40, "4 x pollInterval");
            assertEquals(key + "-t2", a.key);

            RunContext hourly = new RunContext(e.paths, e.ledger, e.paths.ledgerStore(), e.run.fence(), e.provider,
                    e.run.profile(), e.run.endpoint(), e.run.model(), Duration.ofMinutes(45), 3, Clock.systemUTC());
            a.batchId = "batch_z";
            before = System.currentTimeMillis();
            new AttemptResolver(hourly).resolve(a, refused);
            after = System.currentTimeMillis();
            assertTrue(a.notBefore >= before + 3_600_000 && a.notBefore <= after + 3_600_000, "capped at 1 h");
            assertEquals(key + "-t3", a.key);
        }
    }

    @Test
    void anyOtherRefusalFailsWithTheProvidersErrors() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 2, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            a.batchId = "batch_bad";
            RemoteBatch refused = new RemoteBatch("batch_bad", BatchState.FAILED, "failed", 0, 0, 0, null, null,
                    List.of(new BatchError("invalid_request", "bad url", 3),
                            new BatchError("token_limit_exceededx", "other", null)), a.key);
            BatchFailedException ex = assertThrows(BatchFailedException.class,
                    () -> new AttemptResolver(e.run).resolve(a, refused));
            assertTrue(ex.getMessage().contains("batch_bad") && ex.getMessage().contains("invalid_request (line 3): bad url")
                    && ex.getMessage().contains("shard 1"), ex.getMessage());
            Ledger.Attempt saved = e.saved().attempt(1, 1).orElseThrow();
            assertEquals("failed", saved.status);
            assertEquals("invalid_request", saved.errors.get(0).code);
            assertFalse(saved.resolved);
        }
    }

    @Test
    void aBatchTheEmulatorRefusesEndsThePoll() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "maxRequests=2", 3, 100, 3)) {
            BatchFailedException ex = assertThrows(BatchFailedException.class, e::runToEnd);
            assertTrue(ex.getMessage().contains("too_many_tasks"), ex.getMessage());
        }
    }

    @Test
    void resolvingAgainAfterACrashAddsNoSecondRetryAttempt() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "fail500=r-(1|6)", 6, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            new AttemptSubmitter(e.run).submit(a);
            RemoteBatch done = waitForEnd(e, a.batchId);
            AttemptResolver resolver = new AttemptResolver(e.run);
            resolver.resolve(a, done);
            assertEquals(2, e.ledger.attempts.size());
            Path next = Path.of(e.ledger.attempt(1, 2).orElseThrow().requestsFile);
            byte[] first = Files.readAllBytes(next);
            assertEquals(List.of("r-1", "r-6"), customIds(next.toString()));

            // the crash came before "resolved" was saved: the restart resolves the same batch again
            a.resolved = false;
            resolver.resolve(a, e.provider.getBatch(a.batchId));
            assertEquals(2, e.ledger.attempts.size());
            assertArrayEquals(first, Files.readAllBytes(next));
            assertEquals(2, a.retried);
            assertTrue(a.resolved);
        }
    }

    /** Runs six records in input order through one shard; returns the shard's attempts and the downloads. */
    private record Damaged(List<Ledger.Attempt> attempts, int downloads) {
    }

    private Damaged runDamaged(String faults) throws IOException {
        Path work = Files.createTempDirectory(dir, "damaged-");
        try (EmulatedRun e = EmulatedRun.start(work, faults + ";shuffle=false", 6, 100, 3)) {
            e.runToEnd();
            return new Damaged(e.saved().attemptsOf(1), e.server.stats().outputFilesDownloaded());
        }
    }

    @Test
    void aDownloadThatDoesNotParseIsFetchedAgain() throws IOException {
        Damaged corrupt = runDamaged("corruptOutput=1");
        assertEquals(2, corrupt.downloads());
        assertEquals(1, corrupt.attempts().size(), "nothing to retry: the second download was whole");
        Ledger.Attempt a = corrupt.attempts().get(0);
        assertEquals(0, a.retried);
        assertEquals(6, Files.readAllLines(Path.of(a.outputFile)).size());

        Damaged truncated = runDamaged("truncateOutput=2");
        assertEquals(3, truncated.downloads());
        assertEquals(1, truncated.attempts().size());
        assertEquals(0, truncated.attempts().get(0).retried);
    }

    @Test
    void aLineStillDamagedAfterThreeDownloadsIsRetriedAsANewAttempt() throws IOException {
        // lines r-1..r-6 in order; the middle line (r-4) loses its second half
        Damaged corrupt = runDamaged("corruptOutput=3");
        assertEquals(AttemptResolver.MAX_DOWNLOADS + 1, corrupt.downloads(), "three for attempt 1, one for attempt 2");
        assertEquals(2, corrupt.attempts().size());
        assertEquals(1, corrupt.attempts().get(0).retried);
        assertEquals(List.of("r-4"), customIds(corrupt.attempts().get(1).requestsFile));
        assertEquals(0, corrupt.attempts().get(1).retried);

        // cut in the middle of r-4: r-5 and r-6 are gone too
        Damaged truncated = runDamaged("truncateOutput=3");
        assertEquals(List.of("r-4", "r-5", "r-6"), customIds(truncated.attempts().get(1).requestsFile));
        assertEquals(0, truncated.attempts().get(1).retried);
    }

    @Test
    void aRestartFindingTheRecordedDownloadDamagedFetchesItAgain() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 6, 100, 3)) {
            e.runToEnd();
            Ledger.Attempt a = e.ledger.attempt(1, 1).orElseThrow();
            Path output = Path.of(a.outputFile);
            byte[] whole = Files.readAllBytes(output);
            // what a restart finds after the file was damaged: cut mid-line, then binary junk
            Files.write(output, concat(java.util.Arrays.copyOf(whole, whole.length / 2),
                    new byte[] {'\n', 0, (byte) 0xFF, (byte) 0xFE, '{', '\n'}));
            a.resolved = false;

            new AttemptResolver(e.run).resolve(a, e.provider.getBatch(a.batchId));

            assertArrayEquals(whole, Files.readAllBytes(output));
            assertEquals(2, e.server.stats().outputFilesDownloaded());
            assertEquals(0, a.retried);
            assertTrue(a.resolved);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static RemoteBatch waitForEnd(EmulatedRun e, String batchId) throws IOException {
        StopSignal wait = new StopSignal();
        for (int i = 0; i < 2_000; i++) {
            RemoteBatch b = e.provider.getBatch(batchId);
            if (b.state().terminal()) {
                return b;
            }
            wait.await(Duration.ofMillis(5));
        }
        throw new AssertionError("batch " + batchId + " did not end");
    }
}
