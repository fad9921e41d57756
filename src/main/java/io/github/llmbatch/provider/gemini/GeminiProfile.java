package io.github.llmbatch.provider.gemini;

import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchLimits;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.Outcome;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.StopRequest;
import io.github.llmbatch.provider.TokenUsage;
import io.github.llmbatch.provider.UsageCounts;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestLines;
import io.github.llmbatch.request.RequestSpec;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Gemini Batch Mode of the Gemini Developer API ({@code v1beta}): key in {@code x-goog-api-key} from
 * {@code GEMINI_API_KEY}, request lines {@code {"key", "request"}} in an uploaded file, endpoints
 * {@code chat} (batchGenerateContent) and {@code embeddings} (asyncBatchEmbedContent).
 */
public final class GeminiProfile implements ProviderProfile {

    public static final String NAME = "gemini";

    private static final String RESOURCE_EXHAUSTED = RpcCode.RESOURCE_EXHAUSTED.name();

    /*
     * The input file may be up to 2 GB; Google names no request count, so the OpenAI-sized default
     * keeps a batch's cost and its results file in proportion (maxRequestsPerFile raises it).
     */
    private static final BatchLimits LIMITS = new BatchLimits(50_000, 2L * 1000 * 1000 * 1000, 50_000);

    @Override
    public String name() {
        return NAME;
    }

    /** Without a version segment, as Google's SDKs take it; the provider adds {@code /v1beta}. */
    @Override
    public String defaultBaseUrl() {
        return GeminiProvider.DEFAULT_BASE_URL;
    }

    @Override
    public String defaultApiKeyEnv() {
        return "GEMINI_API_KEY";
    }

    @Override
    public BatchLimits limits() {
        return LIMITS;
    }

    /** Google documents no pattern for a request's key. */
    @Override
    public CustomIdPolicy customIds() {
        return CustomIdPolicy.ANY;
    }

    @Override
    public RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots) {
        return new GeminiRequestLineBuilder(spec, slots);
    }

    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return RequestLines.idOf(line, offset, length, "key");
    }

    @Override
    public ResultDecoder resultDecoder(List<String> secrets) {
        return new GeminiResultDecoder(secrets);
    }

    /**
     * A request the service cancelled (not this job) did not run and is retried like an expired one;
     * everything else follows its HTTP status.
     */
    @Override
    public Outcome outcomeOf(ResultLine result, boolean cancelledByUs) {
        if ("CANCELLED".equals(result.errorCode())) {
            return cancelledByUs ? Outcome.PERMANENT : Outcome.RETRYABLE;
        }
        return ProviderProfile.super.outcomeOf(result, cancelledByUs);
    }

    /**
     * {@code usageMetadata}: {@code promptTokenCount} (it includes {@code cachedContentTokenCount}) plus
     * {@code toolUsePromptTokenCount}, both billed as input; {@code cachedContentTokenCount} as the cached
     * input; {@code candidatesTokenCount + thoughtsTokenCount} as the output (thinking is billed as output).
     * Zero counts are left out on the wire. An embedding's response carries no usage.
     */
    @Override
    public Optional<TokenUsage> usageOf(ResultLine result) {
        return UsageCounts.parse(result.usageJson())
                .filter(u -> u.has("promptTokenCount"))
                .flatMap(u -> TokenUsage.of(u.get("promptTokenCount") + u.get("toolUsePromptTokenCount"),
                        u.get("cachedContentTokenCount"), u.get("candidatesTokenCount") + u.get("thoughtsTokenCount")));
    }

    /**
     * A batch that ends FAILED with RESOURCE_EXHAUSTED was refused for a quota (the enqueued tokens of
     * the model's tier), which clears as other batches finish: the job creates it again after a back-off,
     * as for OpenAI's token_limit_exceeded. Any other failed batch fails the job.
     */
    @Override
    public boolean isTemporaryRefusal(List<BatchError> errors) {
        return errors.stream().anyMatch(e -> RESOURCE_EXHAUSTED.equals(e.code()));
    }

    /** The emulator serves the Gemini paths from its root, as generativelanguage.googleapis.com does. */
    @Override
    public String embeddedBaseUrl(URI emulator) {
        String root = emulator.toString();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    @Override
    public BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop) {
        return new GeminiProvider(baseUrl, apiKey, new HttpTransport(RetryPolicy.DEFAULT, timeouts, stop));
    }
}
