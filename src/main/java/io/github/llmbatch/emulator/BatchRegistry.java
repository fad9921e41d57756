package io.github.llmbatch.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** All batches of one emulator, in creation order. */
final class BatchRegistry {

    private final Map<String, EmulatedBatch> byId = new ConcurrentHashMap<>();
    private final List<EmulatedBatch> inOrder = new ArrayList<>();

    /** Creates and records a batch; its ordinal is its 1-based place in creation order. */
    synchronized EmulatedBatch create(String endpoint, String inputFileId, String completionWindow,
                                      Map<String, String> metadata, Long outputExpiresAfterSeconds) {
        EmulatedBatch batch = new EmulatedBatch(IdGenerator.batchId(), inOrder.size() + 1, endpoint, inputFileId,
                completionWindow, metadata, outputExpiresAfterSeconds);
        inOrder.add(batch);
        byId.put(batch.id(), batch);
        return batch;
    }

    Optional<EmulatedBatch> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized int size() {
        return inOrder.size();
    }

    /** Every batch, oldest first. */
    synchronized List<EmulatedBatch> all() {
        return List.copyOf(inOrder);
    }

    /**
     * Newest first, starting after the batch with id {@code after} (null: from the newest).
     *
     * @throws IllegalArgumentException when {@code after} names no batch
     */
    synchronized ListPage<EmulatedBatch> list(String after, int limit) {
        int start = inOrder.size() - 1;
        if (after != null) {
            EmulatedBatch cursor = byId.get(after);
            if (cursor == null) {
                throw new IllegalArgumentException(after);
            }
            start = cursor.ordinal() - 2;
        }
        List<EmulatedBatch> page = new ArrayList<>();
        for (int i = start; i >= 0 && page.size() < limit; i--) {
            page.add(inOrder.get(i));
        }
        int nextIndex = start - page.size();
        return new ListPage<>(page, nextIndex >= 0);
    }
}
