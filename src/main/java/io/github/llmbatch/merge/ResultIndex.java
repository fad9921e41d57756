package io.github.llmbatch.merge;

import java.util.HashMap;
import java.util.Map;

/**
 * The results of one shard by custom_id. Built from the shard's attempts in order, so a later
 * attempt's line replaces an earlier one: the merge takes the latest. Holds positions, never
 * result bodies, so memory is bounded by the shard's ids whatever the result size.
 */
public final class ResultIndex {

    private final Map<String, ResultRef> refs = new HashMap<>();

    public void put(String customId, ResultRef ref) {
        refs.put(customId, ref);
    }

    public ResultRef get(String customId) {
        return refs.get(customId);
    }

    public int size() {
        return refs.size();
    }
}
