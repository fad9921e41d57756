package io.github.llmbatch.pipeline;

import java.io.Serializable;

/**
 * The merge reader's checkpoint.
 *
 * @param shard   position in the ledger's shard list
 * @param offset  byte offset in that shard's records file
 * @param records records read so far, over all shards
 */
public record MergePosition(int shard, long offset, long records) implements Serializable {

    public static MergePosition start() {
        return new MergePosition(0, 0, 0);
    }
}
