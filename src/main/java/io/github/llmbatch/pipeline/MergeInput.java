package io.github.llmbatch.pipeline;

import io.github.llmbatch.shard.RecordLines.RecordLine;

import java.nio.file.Path;

/**
 * A record and its latest result line, before they are joined.
 *
 * @param result       the result line's bytes, or null when the provider returned none
 * @param attempts     how many attempts included the record
 * @param resultFile   the file the result line is in, or null with no result
 * @param resultOffset the byte offset of the result line in that file
 */
public record MergeInput(RecordLine record, byte[] result, int attempts, Path resultFile, long resultOffset) {
}
