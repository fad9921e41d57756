package io.github.llmbatch.pipeline;

import io.github.llmbatch.merge.MergedRecord;

import java.io.Serializable;

/**
 * The merge writer's checkpoint: where the output stands and how many of the records written
 * succeeded and failed. The counts ride in the checkpoint so that a restart, which writes again
 * from the checkpoint, counts each record once.
 *
 * @param position  the output's position ({@link io.github.llmbatch.merge.MergedOutput#sync()})
 * @param succeeded null when the merge went on from a checkpoint of a version that did not count
 * @param failed    null likewise
 */
public record MergeCheckpoint(long position, Long succeeded, Long failed) implements Serializable {

    public static MergeCheckpoint start() {
        return new MergeCheckpoint(0, 0L, 0L);
    }

    /** Restores a checkpoint; an older version's was the bare position. */
    public static MergeCheckpoint of(Serializable checkpoint) {
        if (checkpoint == null) {
            return start();
        }
        if (checkpoint instanceof Long position) {
            return new MergeCheckpoint(position, null, null);
        }
        return (MergeCheckpoint) checkpoint;
    }

    public MergeCheckpoint plus(MergedRecord record) {
        if (succeeded == null) {
            return this;
        }
        return record.succeeded() ? new MergeCheckpoint(position, succeeded + 1, failed)
                : new MergeCheckpoint(position, succeeded, failed + 1);
    }

    public MergeCheckpoint at(long newPosition) {
        return new MergeCheckpoint(newPosition, succeeded, failed);
    }
}
