package io.github.llmbatch.shard;

import java.io.Serializable;
import java.util.List;

/**
 * The shard writer's checkpoint: the shards already finished and how far the open one got.
 *
 * @param openIndex     index of the shard being written (1-based)
 * @param requestBytes  bytes of the open shard's request file
 * @param recordBytes   bytes of the open shard's records file
 * @param requests      request lines in the open shard
 * @param inputs        embedding inputs in the open shard
 */
public record ShardPosition(List<ShardFile> finished, int openIndex, long requestBytes, long recordBytes,
                            long requests, long inputs) implements Serializable {

    public static ShardPosition start() {
        return new ShardPosition(List.of(), 1, 0, 0, 0, 0);
    }
}
