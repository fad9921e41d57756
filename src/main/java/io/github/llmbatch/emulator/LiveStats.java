package io.github.llmbatch.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The counters behind {@link EmulatorStats}; batch numbers come straight from the registry. */
final class LiveStats implements EmulatorStats {

    private final BatchRegistry batches;
    private final AtomicInteger filesUploaded = new AtomicInteger();
    private final AtomicInteger requestsProcessed = new AtomicInteger();
    private final AtomicInteger outputFilesDownloaded = new AtomicInteger();
    private final List<String> batchFileNames = new CopyOnWriteArrayList<>();
    private final List<List<String>> anthropicBatchCustomIds = new CopyOnWriteArrayList<>();
    private final List<String> anthropicSucceededCustomIds = new CopyOnWriteArrayList<>();

    LiveStats(BatchRegistry batches) {
        this.batches = batches;
    }

    void fileUploaded(StoredFile file) {
        filesUploaded.incrementAndGet();
        if ("batch".equals(file.purpose())) {
            batchFileNames.add(file.filename());
        }
    }

    /** A Gemini upload, recorded under its display name (or file name) among the batch file names. */
    void fileUploaded(String name) {
        filesUploaded.incrementAndGet();
        batchFileNames.add(name);
    }

    /** A Message Batch created with these custom_ids (also one whose answer a {@code createLost} fault lost). */
    void anthropicBatchCreated(List<String> customIds) {
        anthropicBatchCustomIds.add(List.copyOf(customIds));
    }

    /** A Message Batch request answered {@code succeeded}: one the user pays for. */
    void anthropicRequestSucceeded(String customId) {
        anthropicSucceededCustomIds.add(customId);
    }

    @Override
    public List<List<String>> anthropicBatchCustomIds() {
        return List.copyOf(anthropicBatchCustomIds);
    }

    @Override
    public List<String> anthropicSucceededCustomIds() {
        return List.copyOf(anthropicSucceededCustomIds);
    }

    void outputFileDownloaded() {
        outputFilesDownloaded.incrementAndGet();
    }

    void requestProcessed() {
        requestsProcessed.incrementAndGet();
    }

    @Override
    public int filesUploaded() {
        return filesUploaded.get();
    }

    @Override
    public List<String> batchFileNames() {
        return List.copyOf(batchFileNames);
    }

    @Override
    public int batchesCreated() {
        return batches.size();
    }

    @Override
    public List<String> batchMetadataValues(String key) {
        List<String> values = new ArrayList<>();
        for (EmulatedBatch batch : batches.all()) {
            if (batch.metadata() != null && batch.metadata().containsKey(key)) {
                values.add(batch.metadata().get(key));
            }
        }
        return values;
    }

    @Override
    public List<String> batchDisplayNames() {
        List<String> names = new ArrayList<>();
        for (EmulatedBatch batch : batches.all()) {
            if (batch.displayName() != null) {
                names.add(batch.displayName());
            }
        }
        return names;
    }

    @Override
    public int requestsProcessed() {
        return requestsProcessed.get();
    }

    @Override
    public int outputFilesDownloaded() {
        return outputFilesDownloaded.get();
    }

    /**
     * {@code GET /_emulator/stats}: the counters and every batch's id, status (the engine's, OpenAI's names
     * also for Gemini batches), metadata and Gemini display name, oldest first.
     */
    byte[] toJson() {
        return EmulatorJson.render(json -> {
            json.writeStartObject();
            json.writeNumberField("filesUploaded", filesUploaded());
            json.writeNumberField("batchesCreated", batchesCreated());
            json.writeNumberField("requestsProcessed", requestsProcessed());
            json.writeNumberField("outputFilesDownloaded", outputFilesDownloaded());
            json.writeArrayFieldStart("batchFileNames");
            for (String name : batchFileNames) {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("anthropicBatchCustomIds");
            for (List<String> customIds : anthropicBatchCustomIds) {
                json.writeStartArray();
                for (String customId : customIds) {
                    json.writeString(customId);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("anthropicSucceededCustomIds");
            for (String customId : anthropicSucceededCustomIds) {
                json.writeString(customId);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("batches");
            for (EmulatedBatch batch : batches.all()) {
                json.writeStartObject();
                json.writeStringField("id", batch.id());
                json.writeStringField("status", batch.status());
                EmulatedBatch.writeMetadata(json, batch.metadata());
                if (batch.displayName() != null) {
                    json.writeStringField("displayName", batch.displayName());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    @Override
    public String toString() {
        return "EmulatorStats[filesUploaded=" + filesUploaded() + ", batchesCreated=" + batchesCreated()
                + ", requestsProcessed=" + requestsProcessed() + "]";
    }
}
