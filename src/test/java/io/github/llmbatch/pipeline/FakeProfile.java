package io.github.llmbatch.pipeline;

import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchLimits;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.Outcome;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.StopRequest;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestLines;
import io.github.llmbatch.request.RequestSpec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider that exists only in tests, to show that the pipeline takes everything provider-specific
 * from the profile. It speaks OpenAI's protocol (so the emulator serves it) but differs wherever a
 * profile may: ids must match Anthropic's pattern, the custom_id comes last in its request lines,
 * HTTP 400 counts as retryable, and a refusal coded {@code busy} is waited out.
 */
final class FakeProfile implements ProviderProfile {

    static final String BUSY = "busy";

    private final OpenAiProfile wire = new OpenAiProfile();
    /** Request lines whose id the pipeline read back through this profile. */
    final AtomicInteger idsRead = new AtomicInteger();

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String defaultBaseUrl() {
        return null;
    }

    @Override
    public String defaultApiKeyEnv() {
        return "FAKE_API_KEY";
    }

    @Override
    public BatchLimits limits() {
        return new BatchLimits(3, 1_000_000, 2);
    }

    @Override
    public CustomIdPolicy customIds() {
        return CustomIdPolicy.SAFE_64;
    }

    /** The emulator speaks OpenAI's protocol, which names endpoints by path. */
    @Override
    public String endpointName(Endpoint endpoint) {
        return wire.endpointName(endpoint);
    }

    /** OpenAI's line with its leading {@code "custom_id":"…",} moved to the end. */
    @Override
    public RequestLineWriter requestLineWriter(RequestSpec spec, FieldSlots slots) {
        RequestLineWriter openAi = wire.requestLineWriter(spec, slots);
        return (customId, values) -> {
            String line = new String(openAi.write(customId, values), StandardCharsets.UTF_8);
            int idEnd = line.indexOf("\",\"method\"") + 2;
            return ("{" + line.substring(idEnd, line.length() - 1) + "," + line.substring(1, idEnd - 1) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        idsRead.incrementAndGet();
        return RequestLines.idOf(line, offset, length, "custom_id");
    }

    @Override
    public ResultDecoder resultDecoder(List<String> secrets) {
        return wire.resultDecoder(secrets);
    }

    @Override
    public Outcome outcomeOf(ResultLine result, boolean cancelledByUs) {
        return result.httpStatus() == 400 ? Outcome.RETRYABLE : wire.outcomeOf(result, cancelledByUs);
    }

    @Override
    public boolean isTemporaryRefusal(List<BatchError> errors) {
        return errors.stream().anyMatch(e -> BUSY.equals(e.code()));
    }

    @Override
    public String embeddedBaseUrl(URI emulator) {
        return wire.embeddedBaseUrl(emulator);
    }

    @Override
    public BatchProvider open(String baseUrl, String apiKey, HttpTimeouts timeouts, StopRequest stop) {
        return wire.open(baseUrl, apiKey, timeouts, stop);
    }
}
