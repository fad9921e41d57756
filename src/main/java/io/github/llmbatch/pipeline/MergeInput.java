package io.github.llmbatch.pipeline;

import io.github.llmbatch.shard.RecordLines.RecordLine;

/**
 * A record and its latest result line, before they are joined.
 *
 * @param result   the result line's bytes, or null when the provider returned none
 * @param attempts how many attempts included the record
 */
public record MergeInput(RecordLine record, byte[] result, int attempts) {
}
