package io.github.llmbatch.emulator;

import java.util.List;

/** Live counters of one emulator; safe to read from any thread while it runs. */
public interface EmulatorStats {

    /** Successful {@code POST /files} calls (result files the emulator writes itself are not counted). */
    int filesUploaded();

    /**
     * The file name of every successful upload with purpose {@code batch}, in upload order (a name
     * uploaded twice is there twice). Lets a test assert one upload per shard attempt.
     */
    List<String> batchFileNames();

    /**
     * Batches created, whatever became of them later (failed validation, cancelled, ...). A create call
     * answered with an error, injected or not, creates nothing and is not counted; one whose answer was
     * replaced by a {@code createLost} fault is.
     */
    int batchesCreated();

    /**
     * The value of metadata key {@code key}, once per created batch that had it, in creation order.
     * Lets a test assert that exactly one batch exists per idempotency key.
     */
    List<String> batchMetadataValues(String key);

    /**
     * Request lines run through the responder, over all batches (also those answered with an injected
     * HTTP error or dropped; not the never-executed ones: timed out, expired, cancelled).
     */
    int requestsProcessed();

    /** Downloads of batch output files ({@code GET /files/{id}/content}; error files not counted). */
    int outputFilesDownloaded();
}
