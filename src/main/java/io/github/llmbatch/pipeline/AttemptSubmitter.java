package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.ledger.Ledger.Attempt;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.CallStoppedException;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.LostCreate;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.shard.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.logging.Logger;

/**
 * Uploads an attempt's requests and creates its batch, exactly once whatever the crash point.
 * Write-ahead: the intent is saved in the ledger before each remote call that creates
 * something, the result right after it. An intent without a result means a crash in between:
 * the provider is asked first (file by name, batch by idempotency key or, where the provider keeps
 * none, by what it does keep: {@link BatchProvider#findLostCreate}), and only what it does not have is
 * created. Each save checks the instance lock first ({@link RunContext#fence()}), so an
 * execution that lost it stops at the intent, before the call.
 */
public final class AttemptSubmitter {

    private static final Logger LOG = Logger.getLogger(AttemptSubmitter.class.getName());

    /** What every provider-side file name of an attempt's requests starts with. */
    public static final String FILE_NAME_PREFIX = "llm-batch-";

    /** The status of an attempt that never got a batch because its instance was cancelled first. */
    public static final String NOT_SENT = "not sent (cancelled)";

    private final RunContext run;

    public AttemptSubmitter(RunContext run) {
        this.run = run;
    }

    /** The provider-side file name of an attempt's requests; derived from its idempotency key. */
    public static String remoteFileName(Attempt attempt) {
        return FILE_NAME_PREFIX + attempt.key + ".jsonl";
    }

    public void submit(Attempt attempt) throws IOException {
        BatchProvider provider = run.provider();
        if (attempt.created()) {
            return;
        }
        if (run.ledger().cancelledAt != null) {
            // the instance was cancelled: nothing more is sent (the cancel looked for any lost create first)
            settleUnsent(attempt);
            return;
        }
        if (CancelMarker.isRequested(run.paths())) {
            return; // a cancel is asked for and this execution is about to stop for it: nothing new is paid for
        }
        if (!provider.usesUploadedFiles() || attempt.fileId == null) {
            requireUnchanged(attempt); // the file is about to be sent
        }
        if (provider.usesUploadedFiles() && attempt.fileId == null) {
            try {
                upload(attempt, provider);
            } catch (CallStoppedException stopped) {
                throw stopped; // a stop, not a refused file: Submission must still see it as one
            } catch (IOException e) {
                // the provider's answer names its route, not which of our files it refused
                throw new IOException("shard " + attempt.shard + " attempt " + attempt.attempt + ": cannot upload "
                        + attempt.requestsFile + ": " + e.getMessage(), e);
            }
        }
        if (CancelMarker.isRequested(run.paths())) {
            return; // asked for during the upload
        }
        create(attempt, provider);
    }

    /**
     * What is sent must be what was prepared and counted: a file cut by a power loss or edited by
     * hand would be paid for and then merged against the wrong records.
     */
    private static void requireUnchanged(Attempt attempt) throws IOException {
        Path file = Path.of(attempt.requestsFile);
        long size = Files.size(file);
        if (attempt.bytes > 0 && size != attempt.bytes) {
            throw new IOException(attempt.requestsFile + " has " + size + " bytes but was written with "
                    + attempt.bytes + "; it changed since prepare (a power loss?) and is not uploaded");
        }
        if (attempt.sha256 != null) {
            String sha256 = Sha256.of(file);
            if (!sha256.equals(attempt.sha256)) {
                throw new IOException(attempt.requestsFile + " has SHA-256 " + sha256 + " but was written with "
                        + attempt.sha256 + "; it changed since prepare and is not uploaded");
            }
        }
    }

    private void upload(Attempt attempt, BatchProvider provider) throws IOException {
        String name = remoteFileName(attempt);
        long size = Files.size(Path.of(attempt.requestsFile));
        if (attempt.uploadStartedAt != null) {
            Optional<RemoteFile> existing = provider.findUploadedFile(name);
            if (existing.isPresent() && existing.get().bytes() == size) {
                attempt.fileId = existing.get().id();
                run.save();
                LOG.info(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": found upload "
                        + attempt.fileId + " from before the restart");
                return;
            }
        }
        attempt.uploadStartedAt = run.now();
        run.save();
        RemoteFile file = provider.upload(Path.of(attempt.requestsFile), name);
        CrashPoints.reach(CrashPoints.AFTER_UPLOAD);
        attempt.fileId = file.id();
        run.save();
    }

    private void create(Attempt attempt, BatchProvider provider) throws IOException {
        CreateBatch request = createRequest(attempt);
        if (adoptLostCreate(attempt)) {
            return;
        }
        attempt.createStartedAt = run.now();
        run.save();
        RemoteBatch batch = provider.createBatch(request);
        CrashPoints.reach(CrashPoints.AFTER_CREATE);
        record(attempt, batch);
    }

    private CreateBatch createRequest(Attempt attempt) {
        return new CreateBatch(run.endpoint(), attempt.fileId, Path.of(attempt.requestsFile), run.model(), attempt.key);
    }

    /**
     * An attempt whose create was started but not answered (a crash, a cut call): records the batch
     * that create made, if the provider has one.
     *
     * @return whether the attempt has its batch now
     */
    boolean adoptLostCreate(Attempt attempt) throws IOException {
        if (attempt.createStartedAt == null) {
            return false;
        }
        Optional<RemoteBatch> existing = run.provider().findLostCreate(new LostCreate(createRequest(attempt),
                attempt.requests, Instant.parse(attempt.createStartedAt), knownBatchIds()));
        if (existing.isEmpty()) {
            return false;
        }
        record(attempt, existing.get());
        LOG.info(() -> "shard " + attempt.shard + " attempt " + attempt.attempt + ": found batch "
                + attempt.batchId + " from before the restart");
        return true;
    }

    /**
     * An attempt of a cancelled instance that never had a batch: it never will, and its requests stay
     * without a result (failed in the merge) instead of being sent after the cancel.
     */
    void settleUnsent(Attempt attempt) {
        attempt.status = NOT_SENT;
        attempt.retried = 0;
        attempt.resolved = true;
        run.save();
    }

    /** Batches the ledger holds: a provider that matches lost creates by their shape must not take one of these. */
    private Set<String> knownBatchIds() {
        return run.ledger().attempts.stream().map(a -> a.batchId).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    private void record(Attempt attempt, RemoteBatch batch) {
        attempt.batchId = batch.id();
        attempt.createdAt = run.now();
        AttemptResolver.update(attempt, batch);
        run.save();
    }
}
