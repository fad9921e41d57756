package io.github.llmbatch.provider.anthropic;

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
 * Anthropic Message Batches (BATCH-PROTOCOLS.md §B): key in {@code x-api-key} from
 * {@code ANTHROPIC_API_KEY}, {@code anthropic-version: 2023-06-01}, requests inline with the create
 * call, 100,000 requests or 256 MB a batch, custom_ids {@code ^[a-zA-Z0-9_-]{1,64}$} (others are sent
 * under a derived id), {@code maxTokens} required, chat only.
 */
public final class AnthropicProfile implements ProviderProfile {

    public static final String NAME = "anthropic";

    static final String NO_EMBEDDINGS = "provider anthropic has no embeddings endpoint; use endpoint=chat";

    /*
     * 256 MB is the whole create body: the request file, its line breaks turned into commas, in the
     * envelope {"requests":[…]}, 14 bytes more than the file. MB read as 10^6 bytes, the smaller reading.
     */
    private static final int ENVELOPE = 14;
    private static final BatchLimits LIMITS = new BatchLimits(100_000, 256L * 1000 * 1000 - ENVELOPE, 100_000);

    @Override
    public String name() {
        return NAME;
    }

    /** Without {@code /v1}, as the SDKs take it; the provider adds it. */
    @Override
    public String defaultBaseUrl() {
        return AnthropicProvider.DEFAULT_BASE_URL;
    }

    @Override
    public String defaultApiKeyEnv() {
        return "ANTHROPIC_API_KEY";
    }

    @Override
    public BatchLimits limits() {
        return LIMITS;
    }

    @Override
    public CustomIdPolicy customIds() {
        return CustomIdPolicy.SAFE_64;
    }

    /** Chat (Messages) only: Anthropic has no embeddings, which is refused before anything is read. */
    @Override
    public Endpoint endpoint(String value) {
        Endpoint endpoint = ProviderProfile.super.endpoint(value);
        if (endpoint != Endpoint.CHAT_COMPLETIONS) {
            throw new IllegalArgumentException(NO_EMBEDDINGS);
        }
        return endpoint;
    }

    /** @throws IllegalArgumentException without {@code maxTokens}, which Anthropic requires */
    @Override
    public RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots) {
        return new AnthropicRequestLines(spec, slots);
    }

    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return AnthropicRequestLines.customIdOf(line, offset, length);
    }

    @Override
    public ResultDecoder resultDecoder(List<String> secrets) {
        return new AnthropicResultDecoder(secrets);
    }

    /**
     * {@code errored}: {@code invalid_request_error} is permanent; {@code overloaded_error},
     * {@code api_error} and {@code rate_limit_error} are retried; other types follow the HTTP status
     * Anthropic gives them (401, 403, 404, 413 permanent; 504 {@code timeout_error} retried).
     * {@code canceled} and {@code expired} never ran and go into the next attempt, except requests of a
     * batch this job cancelled.
     */
    @Override
    public Outcome outcomeOf(ResultLine result, boolean cancelledByUs) {
        return switch (result.kind()) {
            case SUCCEEDED -> Outcome.SUCCEEDED;
            case NOT_EXECUTED -> cancelledByUs && AnthropicResultDecoder.CANCELED.equals(result.errorCode())
                    ? Outcome.PERMANENT : Outcome.RETRYABLE;
            case HTTP_ERROR -> switch (result.errorCode() == null ? "" : result.errorCode()) {
                case ErrorTypes.INVALID_REQUEST -> Outcome.PERMANENT;
                case ErrorTypes.OVERLOADED, ErrorTypes.API, ErrorTypes.RATE_LIMIT -> Outcome.RETRYABLE;
                default -> Outcome.ofHttpStatus(result.httpStatus());
            };
        };
    }

    /**
     * A message's {@code usage}: Anthropic's {@code input_tokens} are only those after the last cache
     * breakpoint, so the input is {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens};
     * the cached input is {@code cache_read_input_tokens}; {@code output_tokens} as sent. (Cache writes
     * are priced here as plain input: the price table has no cache-write rate.)
     */
    @Override
    public Optional<TokenUsage> usageOf(ResultLine result) {
        return UsageCounts.parse(result.usageJson())
                .filter(u -> u.has("input_tokens") && u.has("output_tokens"))
                .flatMap(u -> TokenUsage.of(
                        u.get("input_tokens") + u.get("cache_read_input_tokens") + u.get("cache_creation_input_tokens"),
                        u.get("cache_read_input_tokens"), u.get("output_tokens")));
    }

    /** The emulator serves the Message Batches paths from its root, as api.anthropic.com does. */
    @Override
    public String embeddedBaseUrl(URI emulator) {
        String root = emulator.toString();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    @Override
    public BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop) {
        return new AnthropicProvider(baseUrl, apiKey, new HttpTransport(RetryPolicy.DEFAULT, timeouts, stop));
    }
}
