package io.github.llmbatch.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerStoreTest {

    @TempDir
    Path dir;

    static Ledger sample() {
        Ledger l = new Ledger();
        l.jobInstanceId = 42;
        l.runId = "ab12cd34";
        l.provider = "openai";
        l.endpoint = "/v1/chat/completions";
        l.model = "gpt-4o-mini";
        l.recordFields = List.of("id", "subject", "naïve \"quoted\"");
        l.prepare = new Ledger.PrepareSummary();
        l.prepare.inputRecords = 10;
        l.prepare.requests = 9;
        l.prepare.rejects = 1;
        l.prepare.requestBytes = 12_345_678_901L;
        for (int i = 1; i <= 2; i++) {
            Ledger.Shard s = new Ledger.Shard();
            s.index = i;
            s.requestsFile = "/w/shards/shard-0000" + i + ".requests.jsonl";
            s.recordsFile = "/w/shards/shard-0000" + i + ".records.jsonl";
            s.requests = 5 - i;
            s.bytes = 1000 + i;
            s.sha256 = "ff" + i;
            l.shards.add(s);
        }
        Ledger.Attempt a = new Ledger.Attempt();
        a.shard = 1;
        a.attempt = 1;
        a.requestsFile = "/w/shards/shard-00001.requests.jsonl";
        a.requests = 4;
        a.key = "lb-ab12cd34-i42-s1-a1";
        a.uploadStartedAt = "2025-01-01T00:00:00Z";
        a.fileId = "file-1";
        a.createStartedAt = "2025-01-01T00:00:01Z";
        a.batchId = "batch_1";
        a.notBefore = 1_700_000_000_123L;
        a.tokenLimitRefusals = 2;
        a.status = "completed";
        a.total = 4;
        a.completed = 3;
        a.failed = 1;
        a.outputRef = "file-out";
        a.errorRef = "file-err";
        a.errors.add(new Ledger.BatchFailure("invalid", "bad line", 3));
        a.errors.add(new Ledger.BatchFailure("other", "no line", null));
        a.outputFile = "/w/results/o.jsonl";
        a.errorFile = "/w/results/e.jsonl";
        a.resolved = true;
        a.retried = 1;
        a.cancelledByUs = true;
        l.attempts.add(a);
        Ledger.Attempt b = new Ledger.Attempt();
        b.shard = 1;
        b.attempt = 2;
        b.key = "lb-ab12cd34-i42-s1-a2";
        l.attempts.add(b);
        return l;
    }

    @Test
    void everyFieldSurvivesAWriteAndARead() {
        LedgerStore store = new LedgerStore(dir.resolve("instance-42"));
        assertTrue(store.read().isEmpty());
        Ledger written = sample();
        store.write(written);
        Ledger read = store.read().orElseThrow();

        assertEquals(42, read.jobInstanceId);
        assertEquals("ab12cd34", read.runId);
        assertEquals(List.of("openai", "/v1/chat/completions", "gpt-4o-mini"),
                List.of(read.provider, read.endpoint, read.model));
        assertEquals(written.recordFields, read.recordFields);
        assertEquals(List.of(10L, 9L, 1L, 12_345_678_901L), List.of(read.prepare.inputRecords, read.prepare.requests,
                read.prepare.rejects, read.prepare.requestBytes));
        assertEquals(2, read.shards.size());
        Ledger.Shard s2 = read.shards.get(1);
        assertEquals(List.of("2", "/w/shards/shard-00002.requests.jsonl", "/w/shards/shard-00002.records.jsonl", "3",
                "1002", "ff2"), List.of(Integer.toString(s2.index), s2.requestsFile, s2.recordsFile,
                Long.toString(s2.requests), Long.toString(s2.bytes), s2.sha256));

        Ledger.Attempt a = read.attempt(1, 1).orElseThrow();
        Ledger.Attempt e = written.attempts.get(0);
        assertEquals(List.of(e.shard, e.attempt, e.tokenLimitRefusals), List.of(a.shard, a.attempt, a.tokenLimitRefusals));
        assertEquals(List.of(e.requestsFile, e.key, e.uploadStartedAt, e.fileId, e.createStartedAt, e.batchId, e.status,
                e.outputRef, e.errorRef, e.outputFile, e.errorFile), List.of(a.requestsFile, a.key, a.uploadStartedAt,
                a.fileId, a.createStartedAt, a.batchId, a.status, a.outputRef, a.errorRef, a.outputFile, a.errorFile));
        assertEquals(List.of(e.requests, e.notBefore, e.total, e.completed, e.failed, e.retried),
                List.of(a.requests, a.notBefore, a.total, a.completed, a.failed, a.retried));
        assertTrue(a.resolved);
        assertTrue(a.cancelledByUs);
        assertTrue(a.created());
        assertEquals(2, a.errors.size());
        assertEquals(List.of("invalid", "bad line", "3"), List.of(a.errors.get(0).code, a.errors.get(0).message,
                String.valueOf(a.errors.get(0).line)));
        assertNull(a.errors.get(1).line);

        Ledger.Attempt b = read.latestAttempt(1).orElseThrow();
        assertEquals(2, b.attempt);
        assertNull(b.fileId);
        assertFalse(b.created());
        assertFalse(b.resolved);
        assertEquals(List.of(1, 2), read.attemptsOf(1).stream().map(x -> x.attempt).toList());
        assertTrue(read.latestAttempt(2).isEmpty());
    }

    @Test
    void replacingLeavesNoTemporaryFileBehind() throws IOException {
        Path instance = dir.resolve("instance-1");
        LedgerStore store = new LedgerStore(instance);
        Ledger l = sample();
        for (int i = 0; i < 5; i++) {
            l.attempts.get(1).status = "in_progress-" + i;
            store.write(l);
        }
        assertEquals("in_progress-4", store.read().orElseThrow().attempts.get(1).status);
        try (Stream<Path> files = Files.list(instance)) {
            assertEquals(List.of(LedgerStore.FILE_NAME), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(instance.resolve("ledger.json"), store.file());
    }

    @Test
    void readOrCreateGivesANewLedgerWithARandomRunIdOnlyWhenThereIsNone() {
        LedgerStore store = new LedgerStore(dir.resolve("instance-5"));
        Ledger a = store.readOrCreate(5);
        Ledger b = new LedgerStore(dir.resolve("instance-6")).readOrCreate(6);
        assertEquals(5, a.jobInstanceId);
        assertTrue(a.runId.matches("[0-9a-f]{8}"), a.runId);
        assertNotEquals(a.runId, b.runId);
        store.write(a);
        assertEquals(a.runId, store.readOrCreate(5).runId, "an existing ledger is read, not replaced");
    }

    @Test
    void aCorruptLedgerIsAnErrorNotAnEmptyLedger() throws IOException {
        Path instance = dir.resolve("instance-9");
        Files.createDirectories(instance);
        Files.writeString(instance.resolve(LedgerStore.FILE_NAME), "{\"jobInstanceId\": 9, \"shards\": [");
        LedgerStore store = new LedgerStore(instance);
        assertThrows(RuntimeException.class, store::read);
        assertThrows(RuntimeException.class, () -> store.readOrCreate(9));
    }

    @Test
    void instancePathsPlaceEverythingBelowTheInstanceDirectory() {
        InstancePaths p = InstancePaths.of(dir.resolve("work/../work"), 17);
        assertEquals(dir.resolve("work/instance-17").toAbsolutePath().normalize(), p.dir());
        assertEquals(p.dir().resolve("ledger.json"), p.ledgerFile());
        assertEquals(p.dir().resolve("shards"), p.shardsDir());
        assertEquals(p.dir().resolve("results"), p.resultsDir());
        assertEquals(p.ledgerFile(), p.ledgerStore().file());
    }

    @Test
    void summaryCountsLatestStatusesAndSettledRequests() {
        Ledger l = sample();
        Ledger.Attempt a2 = l.attempts.get(1);
        a2.requests = 1;
        LedgerSummary s = l.summary();
        assertEquals(10, s.inputRecords());
        assertEquals(1, s.rejects());
        assertEquals(2, s.shards());
        assertEquals(9, s.requestsTotal());
        assertEquals(3, s.requestsDone(), "attempt 1: 4 requests, 1 of them retried");
        assertEquals(Map.of("not created", 2), s.batchesByStatus(), "shard 1's latest has no status, shard 2 none");
        assertEquals(2, s.attempts());

        a2.status = "in_progress";
        Ledger.Attempt c = new Ledger.Attempt();
        c.shard = 2;
        c.attempt = 1;
        c.requests = 3;
        c.status = "completed";
        c.resolved = true;
        l.attempts.add(c);
        a2.resolved = true;
        s = l.summary();
        assertEquals(Map.of("in_progress", 1, "completed", 1), s.batchesByStatus());
        assertEquals(3 + 1 + 3, s.requestsDone());

        Ledger empty = new Ledger();
        LedgerSummary z = empty.summary();
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(z.inputRecords(), z.rejects(), z.requestsTotal(), z.requestsDone()));
        assertEquals(0, z.shards());
    }
}
