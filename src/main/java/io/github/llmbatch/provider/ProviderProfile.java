package io.github.llmbatch.provider;

import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestSpec;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Everything the job knows about one provider, looked up by its name (job parameter
 * {@code provider}) in {@link ProviderProfiles}. The job and the pipeline only ever ask a profile;
 * adding a provider is a folder {@code provider/<name>/} with a profile class, its
 * {@link BatchProvider}, {@link ResultDecoder} and {@link RequestLineWriter}, and one line in
 * {@link ProviderProfiles}.
 *
 * <p>A profile holds no state: one instance serves every job. The objects it makes
 * ({@link #requestLineWriter}, {@link #resultDecoder}) are for one thread each.
 */
public interface ProviderProfile {

    /** The provider's name: the value of job parameter {@code provider}, lower case; recorded in the ledger. */
    String name();

    /**
     * The base URL used when job parameter {@code baseUrl} is not given, in the form {@link #open}
     * takes it (the SDKs' convention: OpenAI's includes {@code /v1}, Gemini's has no version
     * segment); null when there is none (Azure: the resource's URL), which makes {@code baseUrl} required.
     */
    String defaultBaseUrl();

    /**
     * What a base URL of this provider looks like, for the message that asks for one when there is no
     * default (Azure: {@code https://<resource>.openai.azure.com/openai/v1}); this default gives the default.
     */
    default String baseUrlForm() {
        return defaultBaseUrl();
    }

    /** The environment variable that holds the API key unless job parameter {@code apiKeyEnv} names another. */
    String defaultApiKeyEnv();

    /**
     * What one batch may hold. The request and byte limits are the defaults of job parameters
     * {@code maxRequestsPerFile} and {@code maxBytesPerFile}; the embedding-input limit always applies.
     */
    BatchLimits limits();

    /**
     * Which record ids may be sent as they are; the others are sent under a derived id and
     * mapped back in the merge.
     */
    CustomIdPolicy customIds();

    /**
     * The endpoint a value of job parameter {@code endpoint} names. Every provider accepts
     * {@code chat} and {@code embeddings} (this default); a profile may accept its own spellings
     * too, or refuse an endpoint it does not have.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    default Endpoint endpoint(String value) {
        return Endpoint.named(value).orElseThrow(() -> new IllegalArgumentException(
                "unsupported endpoint '" + value.strip() + "'; use " + Endpoint.parameterValues()));
    }

    /**
     * How this provider names an endpoint: what the ledger records, what restarts compare and what
     * {@link CreateBatch#endpoint()} carries to the {@link BatchProvider}. This default gives the
     * job parameter's value ({@code chat}, {@code embeddings}); OpenAI gives its API path.
     */
    default String endpointName(Endpoint endpoint) {
        return endpoint.parameterValue();
    }

    /**
     * A writer of this provider's request lines for one job: record (its custom_id and parsed
     * values) in, line bytes out. It runs once per input record, so it should encode everything
     * the spec fixes once, here, and render templates with
     * {@link io.github.llmbatch.request.EscapedTemplate} (see the OpenAI writer).
     *
     * @param slots the fields the job reads, numbered; the writer's templates are compiled against them
     * @throws IllegalArgumentException when the provider cannot take such requests at all (no
     *         {@code maxTokens} where it requires one): the job makes a writer when it reads its
     *         parameters, so this fails it before anything is read or sent
     */
    RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots);

    /**
     * The custom_id of a request line this profile's writer wrote (read to carry a shard's
     * unsettled requests into the next attempt).
     *
     * @param line UTF-8, without the line terminator
     * @throws IllegalArgumentException when the line has none
     */
    String customIdOf(byte[] line, int offset, int length);

    /**
     * A decoder of this provider's result lines, for one thread.
     *
     * @param secrets texts to scrub from error messages the provider sends back (the API key)
     */
    ResultDecoder resultDecoder(List<String> secrets);

    /**
     * What a decoded result line means: succeeded, retryable (another attempt may fix it) or
     * permanent. This default applies HTTP's rule to requests that ran ({@link Outcome#ofHttpStatus})
     * and retries every request that never ran, which cannot have been paid for.
     *
     * @param cancelledByUs whether this job cancelled the line's batch: its requests that never
     *                      ran because of that should then stay failed
     */
    default Outcome outcomeOf(ResultLine result, boolean cancelledByUs) {
        return result.kind() == ResultLine.Kind.NOT_EXECUTED ? Outcome.RETRYABLE
                : Outcome.ofHttpStatus(result.httpStatus());
    }

    /**
     * The tokens a result was billed for, read from its usage ({@link ResultLine#usageJson()}) in this
     * provider's terms. Empty when the line has no usage or it cannot be read: the job then counts the
     * request as billed with unknown tokens and says that its bill is incomplete, never that it cost 0.
     * This default reads none (a provider whose results carry no usage).
     */
    default Optional<TokenUsage> usageOf(ResultLine result) {
        return Optional.empty();
    }

    /**
     * Whether a batch the provider refused ({@link BatchState#FAILED}) with these errors was refused
     * for a limit that clears by itself, such as OpenAI's enqueued-token limit: the job then creates
     * it again after a back-off. Otherwise (this default) the job fails with the errors.
     */
    default boolean isTemporaryRefusal(List<BatchError> errors) {
        return false;
    }

    /**
     * The base URL to give {@link #open} for the in-process emulator ({@code baseUrl=embedded}),
     * shaped as this provider's base URLs are.
     *
     * @param emulator the emulator's root, {@code http://127.0.0.1:<port>/}
     */
    String embeddedBaseUrl(URI emulator);

    /**
     * Opens a connection to the provider's batch API.
     *
     * @param baseUrl  job parameter {@code baseUrl}, its default, or {@link #embeddedBaseUrl}
     * @param apiKey   the key, never logged or written anywhere
     * @param timeouts job parameter {@code httpTimeout}, for the {@link HttpTransport}
     * @param stop     ends calls in flight and waits to retry when the job is stopped
     * @throws IllegalArgumentException when the base URL or the key cannot be used
     */
    BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop);
}
