package io.github.llmbatch.emulator;

/**
 * The provider limits the emulator enforces. The defaults are OpenAI's (BATCH-PROTOCOLS.md §A.8);
 * lower values let tests reach a limit with small files.
 *
 * @param maxUploadBytes       largest accepted upload ({@code POST /files} answers 400 above it)
 * @param maxInputFileBytes    largest batch input file (the batch turns {@code failed} above it)
 * @param maxRequestsPerBatch  most request lines per batch ({@code too_many_tasks} above it)
 * @param maxEmbeddingInputs   most embedding inputs summed over an embeddings batch
 */
public record EmulatorLimits(long maxUploadBytes, long maxInputFileBytes, int maxRequestsPerBatch,
                             int maxEmbeddingInputs) {

    public EmulatorLimits {
        if (maxUploadBytes < 1 || maxInputFileBytes < 1 || maxRequestsPerBatch < 1 || maxEmbeddingInputs < 1) {
            throw new IllegalArgumentException("emulator limits must be positive");
        }
    }

    /** 512 MB per upload, 200 MB and 50,000 requests per batch, 50,000 embedding inputs. */
    public static EmulatorLimits defaults() {
        return new EmulatorLimits(512L * 1024 * 1024, 200L * 1024 * 1024, 50_000, 50_000);
    }

    public EmulatorLimits withMaxUploadBytes(long bytes) {
        return new EmulatorLimits(bytes, maxInputFileBytes, maxRequestsPerBatch, maxEmbeddingInputs);
    }

    public EmulatorLimits withMaxInputFileBytes(long bytes) {
        return new EmulatorLimits(maxUploadBytes, bytes, maxRequestsPerBatch, maxEmbeddingInputs);
    }

    public EmulatorLimits withMaxRequestsPerBatch(int requests) {
        return new EmulatorLimits(maxUploadBytes, maxInputFileBytes, requests, maxEmbeddingInputs);
    }

    public EmulatorLimits withMaxEmbeddingInputs(int inputs) {
        return new EmulatorLimits(maxUploadBytes, maxInputFileBytes, maxRequestsPerBatch, inputs);
    }
}
