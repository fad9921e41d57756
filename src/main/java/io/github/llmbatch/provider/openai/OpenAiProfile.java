package io.github.llmbatch.provider.openai;

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
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestSpec;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * OpenAI's Files + Batches API at api.openai.com (and any server that speaks it): bearer key from
 * {@code OPENAI_API_KEY}, 50,000 requests or 200 MB per batch, custom_ids as they are, endpoints
 * named by their API paths.
 */
public final class OpenAiProfile implements ProviderProfile {

    public static final String NAME = "openai";

    /** Error codes of result lines whose request never ran (the error file's). */
    public static final String BATCH_EXPIRED = "batch_expired";
    public static final String BATCH_CANCELLED = "batch_cancelled";
    public static final String REQUEST_TIMEOUT = "request_timeout";

    /** A batch refused for the enqueued-token limit, which clears as other batches finish. */
    static final String TOKEN_LIMIT_EXCEEDED = "token_limit_exceeded";

    private static final BatchLimits LIMITS = new BatchLimits(50_000, 200L * 1000 * 1000, 50_000);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultBaseUrl() {
        return OpenAiProvider.DEFAULT_BASE_URL;
    }

    @Override
    public String defaultApiKeyEnv() {
        return "OPENAI_API_KEY";
    }

    @Override
    public BatchLimits limits() {
        return LIMITS;
    }

    /** OpenAI documents no pattern for custom_id. */
    @Override
    public CustomIdPolicy customIds() {
        return CustomIdPolicy.ANY;
    }

    /**
     * Also the API paths, with or without {@code /v1}: {@code /v1/chat/completions}, {@code /embeddings},
     * and the Responses API ({@code /v1/responses}, {@code responses}).
     */
    @Override
    public Endpoint endpoint(String value) {
        String v = value.strip();
        for (Endpoint e : Endpoint.values()) {
            if (path(e).equals(v) || path(e).substring(3).equals(v) || e.parameterValue().equals(v)) {
                return e;
            }
        }
        return Endpoint.named(v).orElseThrow(() -> new IllegalArgumentException("unsupported endpoint '" + v
                + "'; use " + Endpoint.parameterValues() + ", " + path(Endpoint.CHAT_COMPLETIONS) + ", "
                + path(Endpoint.RESPONSES) + " or " + path(Endpoint.EMBEDDINGS)));
    }

    /** The API path: it goes into each request line's {@code url} and the batch's {@code endpoint}. */
    @Override
    public String endpointName(Endpoint endpoint) {
        return path(endpoint);
    }

    static String path(Endpoint endpoint) {
        return switch (endpoint) {
            case CHAT_COMPLETIONS -> "/v1/chat/completions";
            case EMBEDDINGS -> "/v1/embeddings";
            case RESPONSES -> "/v1/responses";
        };
    }

    @Override
    public RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots) {
        return new OpenAiRequestLines(spec, slots);
    }

    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return OpenAiRequestLines.customIdOf(line, offset, length);
    }

    @Override
    public ResultDecoder resultDecoder(List<String> secrets) {
        return new OpenAiResultDecoder(secrets);
    }

    /** Requests that never ran are retried, except those of a batch this job cancelled. */
    @Override
    public Outcome outcomeOf(ResultLine result, boolean cancelledByUs) {
        if (result.kind() != ResultLine.Kind.NOT_EXECUTED) {
            return Outcome.ofHttpStatus(result.httpStatus());
        }
        return cancelledByUs && BATCH_CANCELLED.equals(result.errorCode()) ? Outcome.PERMANENT : Outcome.RETRYABLE;
    }

    /**
     * A chat completion's or an embedding's {@code usage}: {@code prompt_tokens} (cached ones included),
     * {@code prompt_tokens_details.cached_tokens}, {@code completion_tokens} (reasoning included; none
     * for embeddings). A Responses API body's: {@code input_tokens}, {@code input_tokens_details.cached_tokens},
     * {@code output_tokens}.
     */
    @Override
    public Optional<TokenUsage> usageOf(ResultLine result) {
        return UsageCounts.parse(result.usageJson()).flatMap(u -> {
            if (u.has("input_tokens")) {
                return TokenUsage.of(u.get("input_tokens"), u.get("input_tokens_details.cached_tokens"),
                        u.get("output_tokens"));
            }
            if (u.has("prompt_tokens")) {
                return TokenUsage.of(u.get("prompt_tokens"), u.get("prompt_tokens_details.cached_tokens"),
                        u.get("completion_tokens"));
            }
            return Optional.empty();
        });
    }

    @Override
    public boolean isTemporaryRefusal(List<BatchError> errors) {
        return errors.stream().anyMatch(e -> TOKEN_LIMIT_EXCEEDED.equals(e.code()));
    }

    /** The emulator serves the OpenAI paths below {@code /v1}, as api.openai.com does. */
    @Override
    public String embeddedBaseUrl(URI emulator) {
        return emulator.resolve("/v1").toString();
    }

    @Override
    public BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop) {
        return new OpenAiProvider(baseUrl, apiKey, AuthStyle.BEARER, new HttpTransport(RetryPolicy.DEFAULT, timeouts,
                stop));
    }
}
