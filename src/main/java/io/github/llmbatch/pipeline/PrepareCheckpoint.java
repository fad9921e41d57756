package io.github.llmbatch.pipeline;

import io.github.llmbatch.shard.ShardPosition;

import java.io.Serializable;
import java.util.List;

/**
 * Where the prepare writer stands: the shards, the rejects file offset, the counts, the
 * record field names seen (the merged CSV's columns) and the input-token tally
 * ({@code InputTokenCount.Tally}: the counted requests' tokens and bytes, the others' bytes).
 */
public record PrepareCheckpoint(ShardPosition shards, long rejectsBytes, long accepted, long rejected,
                                List<String> fieldNames, long countedTokens, long countedBytes,
                                long uncountedBytes) implements Serializable {

    public static PrepareCheckpoint start() {
        return new PrepareCheckpoint(ShardPosition.start(), 0, 0, 0, List.of(), 0, 0, 0);
    }
}
