package io.github.llmbatch.shard;

/**
 * When a shard file rolls over to the next one.
 *
 * @param maxRequests       request lines per shard (OpenAI: 50,000)
 * @param maxBytes          bytes per request file (OpenAI: 200 MB)
 * @param maxEmbeddingInputs embedding inputs per batch (OpenAI: 50,000)
 */
public record ShardLimits(long maxRequests, long maxBytes, long maxEmbeddingInputs) {

    public ShardLimits {
        if (maxRequests < 1 || maxBytes < 2 || maxEmbeddingInputs < 1) {
            throw new IllegalArgumentException("shard limits must be positive: " + maxRequests + " requests, "
                    + maxBytes + " bytes, " + maxEmbeddingInputs + " embedding inputs");
        }
    }

    /** Whether one request line (with its line terminator) can fit a shard at all. */
    public boolean fits(int requestLineBytes) {
        return requestLineBytes + 1L <= maxBytes;
    }
}
