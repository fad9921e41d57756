package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import io.github.llmbatch.shard.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttemptSubmitterTest {

    @TempDir
    Path dir;

    private static List<String> keys(EmulatedRun e) {
        return e.server.stats().batchMetadataValues(OpenAiProvider.IDEMPOTENCY_METADATA_KEY);
    }

    @Test
    void uploadsAndCreatesOnceAndRecordsBothInTheSavedLedger() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            assertTrue(a.key.matches("lb-" + e.ledger.runId + "-i7-s1-a1"), a.key);
            AttemptSubmitter submitter = new AttemptSubmitter(e.run);
            submitter.submit(a);

            assertNotNull(a.uploadStartedAt);
            assertNotNull(a.fileId);
            assertNotNull(a.createStartedAt);
            assertNotNull(a.batchId);
            assertNotNull(a.status);
            assertEquals(1, e.server.stats().filesUploaded());
            assertEquals(1, e.server.stats().batchesCreated());
            assertEquals(List.of(a.key), keys(e));

            Ledger.Attempt saved = e.saved().attempt(1, 1).orElseThrow();
            assertEquals(a.fileId, saved.fileId);
            assertEquals(a.batchId, saved.batchId);

            submitter.submit(a); // already created: nothing more happens
            assertEquals(1, e.server.stats().filesUploaded());
            assertEquals(1, e.server.stats().batchesCreated());
            RemoteBatch remote = e.provider.getBatch(a.batchId);
            assertEquals(a.key, remote.idempotencyKey());
        }
    }

    @Test
    void aCrashAfterTheUploadFindsTheFileInsteadOfUploadingAgain() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            // the first run wrote its intent, uploaded, and died before recording the file id
            a.uploadStartedAt = e.run.now();
            e.run.save();
            RemoteFile uploaded = e.provider.upload(Path.of(a.requestsFile), AttemptSubmitter.remoteFileName(a));
            assertEquals(1, e.server.stats().filesUploaded());

            new AttemptSubmitter(e.run).submit(a);

            assertEquals(1, e.server.stats().filesUploaded(), "no second upload");
            assertEquals(uploaded.id(), a.fileId);
            assertEquals(uploaded.id(), e.saved().attempt(1, 1).orElseThrow().fileId);
            assertEquals(1, e.server.stats().batchesCreated());
            assertEquals(List.of(a.key), keys(e));
        }
    }

    @Test
    void anIntentWhoseUploadNeverArrivedUploads() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            a.uploadStartedAt = e.run.now();
            e.run.save();

            new AttemptSubmitter(e.run).submit(a);

            assertEquals(1, e.server.stats().filesUploaded());
            assertNotNull(a.fileId);
            assertEquals(1, e.server.stats().batchesCreated());
        }
    }

    @Test
    void aFileOfTheSameNameButAnotherSizeIsNotTakenForTheUpload() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            a.uploadStartedAt = e.run.now();
            e.run.save();
            Path partial = dir.resolve("partial.jsonl");
            byte[] full = Files.readAllBytes(Path.of(a.requestsFile));
            Files.write(partial, java.util.Arrays.copyOf(full, full.length / 2));
            RemoteFile wrong = e.provider.upload(partial, AttemptSubmitter.remoteFileName(a));

            new AttemptSubmitter(e.run).submit(a);

            assertEquals(2, e.server.stats().filesUploaded());
            assertNotEquals(wrong.id(), a.fileId);
            assertEquals(1, e.server.stats().batchesCreated());
        }
    }

    @Test
    void aCrashAfterTheCreateFindsTheBatchInsteadOfCreatingAnother() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            a.uploadStartedAt = e.run.now();
            a.fileId = e.provider.upload(Path.of(a.requestsFile), AttemptSubmitter.remoteFileName(a)).id();
            // the first run wrote its create intent, created, and died before recording the batch id
            a.createStartedAt = e.run.now();
            e.run.save();
            RemoteBatch created = e.provider.createBatch(new CreateBatch(e.run.endpoint(), a.fileId,
                    Path.of(a.requestsFile), e.run.model(), a.key));

            new AttemptSubmitter(e.run).submit(a);

            assertEquals(created.id(), a.batchId);
            assertEquals(created.id(), e.saved().attempt(1, 1).orElseThrow().batchId);
            assertEquals(1, e.server.stats().batchesCreated(), "no second paid batch");
            assertEquals(List.of(a.key), keys(e));
            assertEquals(1, e.server.stats().filesUploaded());
        }
    }

    @Test
    void aCreateIntentWithoutABatchCreatesIt() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 10, 5, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            a.uploadStartedAt = e.run.now();
            a.fileId = e.provider.upload(Path.of(a.requestsFile), AttemptSubmitter.remoteFileName(a)).id();
            a.createStartedAt = e.run.now();
            e.run.save();
            // another attempt's batch exists, under another key: it must not be taken for this one
            Ledger.Attempt other = e.firstAttempt(2);
            other.fileId = a.fileId;
            new AttemptSubmitter(e.run).submit(other);

            new AttemptSubmitter(e.run).submit(a);

            assertNotNull(a.batchId);
            assertNotEquals(other.batchId, a.batchId);
            assertEquals(List.of(other.key, a.key), keys(e));
        }
    }

    @Test
    void aLostCreateAnswerIsReconciledByKey() throws IOException {
        // the emulator creates the batch but answers 500; the provider's retry finds it by key
        try (EmulatedRun e = EmulatedRun.start(dir, "createLost=500x1", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            new AttemptSubmitter(e.run).submit(a);
            assertNotNull(a.batchId);
            assertEquals(List.of(a.key), keys(e));
        }
    }

    @Test
    void aShardChangedAfterPrepareIsRefusedNamingItAndNothingIsUploaded() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            assertEquals(e.ledger.shards.get(0).sha256, a.sha256, "attempt 1 carries its shard's checksum");
            Path file = Path.of(a.requestsFile);
            byte[] bytes = Files.readAllBytes(file);
            int at = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf("About item 3");
            bytes[at + "About item ".length()] = '8'; // same size, other content: only the checksum sees it
            Files.write(file, bytes);

            IOException refused = assertThrows(IOException.class, () -> new AttemptSubmitter(e.run).submit(a));

            assertTrue(refused.getMessage().startsWith(file + " has SHA-256 " + Sha256.of(file)
                    + " but was written with " + a.sha256 + "; it changed since prepare and is not uploaded"),
                    refused.getMessage());
            assertEquals(0, e.server.stats().filesUploaded());
            assertEquals(0, e.server.stats().batchesCreated());
            assertNull(e.saved().attempt(1, 1).orElseThrow().uploadStartedAt, "no upload intent either");
        }
    }

    @Test
    void aShardCutShorterIsRefusedByItsSize() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            Path file = Path.of(a.requestsFile);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));

            IOException refused = assertThrows(IOException.class, () -> new AttemptSubmitter(e.run).submit(a));

            assertTrue(refused.getMessage().startsWith(file + " has " + (bytes.length - 10) + " bytes but was written"
                    + " with " + bytes.length), refused.getMessage());
            assertEquals(0, e.server.stats().filesUploaded());
        }
    }

    @Test
    void aRetryAttemptRecordsTheChecksumOfItsOwnFileAndIsUploadedOnce() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "fail500=r-(2|4)", 5, 100, 3)) {
            e.runToEnd();

            Ledger.Attempt retry = e.saved().attempt(1, 2).orElseThrow();
            assertEquals(2, retry.requests);
            assertEquals(Sha256.of(Path.of(retry.requestsFile)), retry.sha256);
            assertNotEquals(e.ledger.shards.get(0).sha256, retry.sha256);
            assertEquals(2, e.server.stats().filesUploaded(), "one upload per attempt");
            assertEquals(2, e.server.stats().batchesCreated());
        }
    }
}
