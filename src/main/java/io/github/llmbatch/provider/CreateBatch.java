package io.github.llmbatch.provider;

import java.nio.file.Path;

/**
 * What a batch is created from.
 *
 * @param endpoint        the endpoint as the provider's profile names it ({@code ProviderProfile.endpointName}):
 *                        OpenAI's API path, e.g. {@code /v1/chat/completions}; {@code chat} or {@code embeddings}
 *                        where the profile keeps the default
 * @param inputFileId     the uploaded file (null for providers that take requests inline)
 * @param requestsFile    the local request file (read by providers that take requests inline)
 * @param model           the model named in the request lines (Gemini puts it in the URL)
 * @param idempotencyKey  job instance + shard + attempt; stored with the batch for reconciliation
 */
public record CreateBatch(String endpoint, String inputFileId, Path requestsFile, String model,
                          String idempotencyKey) {
}
