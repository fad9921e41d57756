package io.github.llmbatch.pipeline;

import io.github.llmbatch.shard.ShardPosition;

import java.io.Serializable;
import java.util.List;

/**
 * Where the prepare writer stands: the shards, the rejects file offset, the counts and the
 * record field names seen (the merged CSV's columns).
 */
public record PrepareCheckpoint(ShardPosition shards, long rejectsBytes, long accepted, long rejected,
                                List<String> fieldNames) implements Serializable {

    public static PrepareCheckpoint start() {
        return new PrepareCheckpoint(ShardPosition.start(), 0, 0, 0, List.of());
    }
}
