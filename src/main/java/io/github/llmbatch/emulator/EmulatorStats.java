package io.github.llmbatch.emulator;

import java.util.List;

/** Live counters of one emulator; safe to read from any thread while it runs. */
public interface EmulatorStats {

    /**
     * Successful {@code POST /files} calls and finished Gemini uploads (result files the emulator writes
     * itself are not counted).
     */
    int filesUploaded();

    /**
     * The file name of every successful upload with purpose {@code batch}, and the display name (else the
     * {@code X-Goog-Upload-File-Name}) of every finished Gemini upload, in upload order (a name uploaded
     * twice is there twice). Lets a test assert one upload per shard attempt.
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
     * The {@code displayName} of every Gemini batch created, in creation order (Gemini batches have no
     * metadata; the job writes its idempotency key there).
     */
    List<String> batchDisplayNames();

    /**
     * Request lines run through the responder, over all batches (also those answered with an injected
     * HTTP error or dropped; not the never-executed ones: timed out, expired, cancelled).
     */
    int requestsProcessed();

    /**
     * The custom_ids of every Anthropic Message Batch created (a {@code createLost} one included), one list per
     * batch in creation order, each in request order; {@code size()} is the number of Message Batches. Lets a
     * test assert one batch per shard attempt. (Holds every custom_id sent: fine for a test double.)
     */
    List<List<String>> anthropicBatchCustomIds();

    /**
     * The custom_id of every Message Batch request whose result was {@code succeeded} (the ones billed, §B.4),
     * over all batches, in the order they ran. A custom_id there twice was paid for twice.
     */
    List<String> anthropicSucceededCustomIds();

    /**
     * Downloads of batch output files ({@code GET /files/{id}/content}; error files not counted) and of
     * Gemini responses files.
     */
    int outputFilesDownloaded();
}
