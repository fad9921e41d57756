package io.github.llmbatch.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** All batches of one emulator, in creation order. */
final class BatchRegistry {

    private final Map<String, EmulatedBatch> byId = new ConcurrentHashMap<>();
    private final List<EmulatedBatch> inOrder = new ArrayList<>();

    /**
     * Creates and records a batch; its ordinal is its 1-based place in creation order, counted over
     * the batches of every protocol (per-batch faults refer to it).
     */
    synchronized EmulatedBatch create(Function<Integer, EmulatedBatch> maker) {
        EmulatedBatch batch = maker.apply(inOrder.size() + 1);
        inOrder.add(batch);
        byId.put(batch.id(), batch);
        return batch;
    }

    /** The batch with this id if it has this format and was not deleted. */
    Optional<EmulatedBatch> get(String id, BatchFormat format) {
        EmulatedBatch batch = byId.get(id);
        return batch == null || batch.format() != format || batch.deleted() ? Optional.empty() : Optional.of(batch);
    }

    synchronized int size() {
        return inOrder.size();
    }

    /** Every batch, oldest first. */
    synchronized List<EmulatedBatch> all() {
        return List.copyOf(inOrder);
    }

    /**
     * Batches of one format, newest first, starting after the batch with id {@code after} (null: from
     * the newest); deleted batches are left out.
     *
     * @throws IllegalArgumentException when {@code after} names no batch of this format
     */
    synchronized ListPage<EmulatedBatch> list(BatchFormat format, String after, int limit) {
        int start = inOrder.size() - 1;
        if (after != null) {
            EmulatedBatch cursor = byId.get(after);
            if (cursor == null || cursor.format() != format) {
                throw new IllegalArgumentException(after);
            }
            start = cursor.ordinal() - 2;
        }
        List<EmulatedBatch> page = new ArrayList<>();
        for (int i = start; i >= 0; i--) {
            EmulatedBatch batch = inOrder.get(i);
            if (batch.format() != format || batch.deleted()) {
                continue;
            }
            if (page.size() == limit) {
                return new ListPage<>(page, true);
            }
            page.add(batch);
        }
        return new ListPage<>(page, false);
    }
}
