package io.github.llmbatch.shard;

import java.io.Serializable;

/**
 * A finished shard: its request lines and, line for line, the records they came from.
 *
 * @param requestsFile absolute path of the request JSONL
 * @param recordsFile  absolute path of the records JSONL (see {@link RecordLines})
 */
public record ShardFile(int index, String requestsFile, String recordsFile, long requests, long bytes,
                        String sha256) implements Serializable {
}
