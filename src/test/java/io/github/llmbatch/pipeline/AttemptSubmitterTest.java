package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
}
