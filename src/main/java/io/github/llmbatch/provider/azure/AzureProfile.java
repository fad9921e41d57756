package io.github.llmbatch.provider.azure;

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
import io.github.llmbatch.provider.openai.AuthStyle;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestSpec;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Azure OpenAI's batches (BATCH-PROTOCOLS.md §A.11): the OpenAI protocol, so the request lines, the
 * result decoding, the outcomes and the way back to a lost batch are OpenAI's (this profile hands them
 * to {@link OpenAiProfile}); what differs is here. There is no default base URL (each resource has its
 * own), the key is sent as {@code api-key} from {@code AZURE_OPENAI_API_KEY}, {@code model} names the
 * Global-Batch deployment, and a file may hold 100,000 requests. Azure's other shapes (capitalised
 * status, ISO timestamps, null counts, an empty error file on clean jobs) are read by the OpenAI
 * classes, which tolerate them for every server.
 *
 * <p>Azure accepts only {@code completion_window: "24h"}, which {@link OpenAiProvider} sends, but runs
 * a batch until it is done or cancelled: an Azure batch does not expire.
 */
public final class AzureProfile implements ProviderProfile {

    public static final String NAME = "azure";

    /** What a base URL looks like: the resource's v1 surface (a dated one takes {@code ?api-version=…}). */
    public static final String BASE_URL_FORM = "https://<resource>.openai.azure.com/openai/v1";

    private static final BatchLimits LIMITS = new BatchLimits(100_000, 200L * 1000 * 1000, 50_000);

    private final OpenAiProfile openAi = new OpenAiProfile();

    @Override
    public String name() {
        return NAME;
    }

    /** None: every Azure resource has its own URL, so job parameter {@code baseUrl} is required. */
    @Override
    public String defaultBaseUrl() {
        return null;
    }

    @Override
    public String baseUrlForm() {
        return BASE_URL_FORM;
    }

    @Override
    public String defaultApiKeyEnv() {
        return "AZURE_OPENAI_API_KEY";
    }

    /** 100,000 requests and 200 MB per file; the embedding-input limit is OpenAI's, Azure names none. */
    @Override
    public BatchLimits limits() {
        return LIMITS;
    }

    @Override
    public CustomIdPolicy customIds() {
        return openAi.customIds();
    }

    @Override
    public Endpoint endpoint(String value) {
        return openAi.endpoint(value);
    }

    /** OpenAI's paths ({@code /v1/chat/completions}): Azure's lines take them, and its create call too. */
    @Override
    public String endpointName(Endpoint endpoint) {
        return openAi.endpointName(endpoint);
    }

    /** OpenAI's lines; {@code model} is the deployment's name, the same on every line as Azure requires. */
    @Override
    public RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots) {
        return openAi.requestLineWriter(spec, slots);
    }

    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return openAi.customIdOf(line, offset, length);
    }

    @Override
    public ResultDecoder resultDecoder(List<String> secrets) {
        return openAi.resultDecoder(secrets);
    }

    @Override
    public Outcome outcomeOf(ResultLine result, boolean cancelledByUs) {
        return openAi.outcomeOf(result, cancelledByUs);
    }

    /** OpenAI's usage objects. */
    @Override
    public Optional<TokenUsage> usageOf(ResultLine result) {
        return openAi.usageOf(result);
    }

    /** Azure's enqueued-token quota is released as batches end, like OpenAI's. */
    @Override
    public boolean isTemporaryRefusal(List<BatchError> errors) {
        return openAi.isTemporaryRefusal(errors);
    }

    /** The emulator serves its Azure service below {@code /openai/v1}, as a resource does. */
    @Override
    public String embeddedBaseUrl(URI emulator) {
        return emulator.resolve("/openai/v1").toString();
    }

    /**
     * @throws IllegalArgumentException without a base URL: {@link OpenAiProvider} would otherwise fall
     *         back to api.openai.com and send the Azure key there
     */
    @Override
    public BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("provider azure needs job parameter baseUrl, the resource's URL: "
                    + BASE_URL_FORM);
        }
        return new OpenAiProvider(baseUrl, apiKey, AuthStyle.AZURE_API_KEY,
                new HttpTransport(RetryPolicy.DEFAULT, timeouts, stop));
    }
}
