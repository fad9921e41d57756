package io.github.llmbatch.provider;

/**
 * What one provider batch may hold; shards roll over before any is reached.
 *
 * @param requests        request lines per batch (job parameter {@code maxRequestsPerFile} may lower it)
 * @param bytes           bytes per request file (job parameter {@code maxBytesPerFile} may lower it)
 * @param embeddingInputs embedding inputs per batch
 */
public record BatchLimits(long requests, long bytes, long embeddingInputs) {
}
