package io.github.llmbatch.emulator;

/**
 * Anthropic's limits per Message Batch (BATCH-PROTOCOLS.md §B.1): 100,000 requests, 256 MB of create body.
 * {@link EmulatorLimits} holds OpenAI's; a request or input-size limit changed from OpenAI's default (by the
 * config or the fault plan's {@code maxRequests}/{@code maxInputBytes}) applies to Anthropic's batches too, so
 * that tests reach a limit with small batches; the default stands for Anthropic's own.
 */
final class AnthropicLimits {

    static final int MAX_REQUESTS = 100_000;
    static final long MAX_BYTES = 256L * 1024 * 1024;

    private AnthropicLimits() {
    }

    static int maxRequests(EmulatorLimits limits) {
        int openAi = EmulatorLimits.defaults().maxRequestsPerBatch();
        return limits.maxRequestsPerBatch() == openAi ? MAX_REQUESTS : limits.maxRequestsPerBatch();
    }

    static long maxBytes(EmulatorLimits limits) {
        long openAi = EmulatorLimits.defaults().maxInputFileBytes();
        return limits.maxInputFileBytes() == openAi ? MAX_BYTES : limits.maxInputFileBytes();
    }
}
