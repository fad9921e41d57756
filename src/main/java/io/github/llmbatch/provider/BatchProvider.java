package io.github.llmbatch.provider;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One provider's asynchronous batch protocol, reduced to the calls the pipeline needs.
 *
 * <p>Shaped for all three protocols: OpenAI and Gemini upload a file and then create a batch
 * from it; Anthropic sends the requests inline with the create call ({@link #usesUploadedFiles()}
 * is false and {@link CreateBatch#requestsFile()} is read by the provider itself). Every
 * create carries an idempotency key so that a crash between "create" and "record it" can be
 * reconciled with {@link #findBatch(String)} instead of creating a second paid batch.
 *
 * <p>Implementations retry transient HTTP failures themselves; any exception they throw
 * is either {@link ProviderException} (the provider answered, and it is final) or an
 * {@link java.io.IOException} after the retries ran out.
 */
public interface BatchProvider extends AutoCloseable {

    /** Short name used in logs and the ledger, for example {@code openai}. */
    String name();

    /** Whether {@link #upload} must run before {@link #createBatch}. */
    boolean usesUploadedFiles();

    /** Uploads a request file under the given remote file name. */
    RemoteFile upload(Path requestsFile, String remoteFileName) throws java.io.IOException;

    /** Finds an already uploaded file by the name given to {@link #upload}, newest first. */
    Optional<RemoteFile> findUploadedFile(String remoteFileName) throws java.io.IOException;

    RemoteBatch createBatch(CreateBatch request) throws java.io.IOException;

    /** Finds the batch created with this idempotency key, if any. */
    Optional<RemoteBatch> findBatch(String idempotencyKey) throws java.io.IOException;

    /**
     * Finds the batch a create whose answer was lost made, if it made one. This default looks for
     * the request's idempotency key ({@link #findBatch}); a provider that keeps no key with a batch
     * (Anthropic) matches on what it does keep, which is why it gets the whole {@link LostCreate}.
     */
    default Optional<RemoteBatch> findLostCreate(LostCreate lost) throws java.io.IOException {
        return findBatch(lost.request().idempotencyKey());
    }

    RemoteBatch getBatch(String batchId) throws java.io.IOException;

    RemoteBatch cancelBatch(String batchId) throws java.io.IOException;

    /**
     * Streams a result file (output or error file id, or a results URL) to {@code target}.
     * Writes to a temporary sibling first and renames, so a crash never leaves a partial file
     * under the target name.
     */
    void download(String resultRef, Path target) throws java.io.IOException;

    /** Reads this provider's result lines; a new decoder per call, each for use by one thread at a time. */
    ResultDecoder resultDecoder();

    @Override
    void close();
}
