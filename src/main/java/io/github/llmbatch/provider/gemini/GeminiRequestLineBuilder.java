package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.EscapedTemplate;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestOptions;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds one Gemini Batch Mode input line per record (BATCH-PROTOCOLS.md §C.2), the same way
 * {@link io.github.llmbatch.request.RequestLineBuilder} builds OpenAI's: the parts every request
 * shares are encoded once, a record adds its key and its template values as escaped bytes.
 * Not thread-safe.
 *
 * <p>Chat ({@code :batchGenerateContent}):
 * <pre>{"key":"&lt;id&gt;","request":{"contents":[{"role":"user","parts":[{"text":"&lt;user&gt;"}]}],
 *  "systemInstruction":{"parts":[{"text":"&lt;system&gt;"}]},"generationConfig":{"maxOutputTokens":n,"temperature":t}}}</pre>
 * {@code systemInstruction} and {@code generationConfig} (and each of its two fields) only when given.
 * The model is not repeated in the line: it is in the create call's URL, as in the docs' examples.
 *
 * <p>Embeddings ({@code :asyncBatchEmbedContent}): {@code {"key":"<id>","request":{"model":"models/<m>",
 * "content":{"parts":[{"text":"<user>"}]}}}}. §C only says "same envelope idea"; the line is an
 * {@code EmbedContentRequest}, whose {@code model} field the API reference marks required, so it is
 * sent. Chat-only options (system prompt, maxTokens, temperature) are not sent with embeddings.
 *
 * <p>A response schema adds {@code "responseMimeType":"application/json","responseJsonSchema":<schema>} to
 * {@code generationConfig}. The job's request options are appended to the request as they are, except
 * their {@code generationConfig}, whose members join ours.
 *
 * <p>Field names are lowerCamelCase, as the SDKs send them (the docs' examples use snake_case; the
 * API takes both, §C.0).
 */
public final class GeminiRequestLineBuilder implements RequestLineWriter {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final String GENERATION_CONFIG = "generationConfig";

    private final EscapedTemplate system;
    private final EscapedTemplate user;
    private final byte[] start = utf8("{\"key\":\"");
    private final byte[] afterKey;
    private final byte[] afterUser;
    private final byte[] end;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    /** @throws IllegalArgumentException when the request options set a key this builder writes */
    public GeminiRequestLineBuilder(RequestSpec spec, FieldSlots slots) {
        this.user = new EscapedTemplate(spec.userTemplate(), slots);
        boolean chat = spec.endpoint() == Endpoint.CHAT_COMPLETIONS;
        Template systemPrompt = spec.systemPrompt();
        boolean hasSystem = chat && systemPrompt != null
                && !(systemPrompt.isConstant() && systemPrompt.toString().isEmpty());
        this.system = hasSystem ? new EscapedTemplate(systemPrompt, slots) : null;
        RequestOptions options = spec.options();
        if (chat) {
            afterKey = utf8("\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"");
            afterUser = utf8(hasSystem ? "\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"" : "\"}]}]");
            // generationConfig is not among them: the options' own is merged into ours
            options.refuseCollisions(hasSystem ? List.of("contents", "systemInstruction") : List.of("contents"),
                    "gemini generateContent", ProtoJsonValues::camel);
            end = utf8((hasSystem ? "\"}]}" : "") + generationConfig(spec)
                    + options.spliced(Set.of(GENERATION_CONFIG, "generation_config")) + "}}");
        } else {
            afterKey = utf8("\",\"request\":{\"model\":\"" + quoted(GeminiModels.resourceName(spec.model()))
                    + "\",\"content\":{\"parts\":[{\"text\":\"");
            options.refuseCollisions(List.of("model", "content"), "gemini embedContent", ProtoJsonValues::camel);
            afterUser = utf8("\"}]}" + options.spliced() + "}}");
            end = new byte[0];
        }
    }

    /**
     * Ours ({@code maxOutputTokens}, {@code temperature}, the schema's {@code responseMimeType} and
     * {@code responseJsonSchema}) and the members of the options' own {@code generationConfig}, which
     * is where Gemini takes most model options ({@code topP}, {@code seed}, {@code thinkingConfig}…).
     */
    private static String generationConfig(RequestSpec spec) {
        List<String> keys = new ArrayList<>();
        StringBuilder config = new StringBuilder();
        if (spec.maxTokens() != null) {
            keys.add("maxOutputTokens");
            config.append(",\"maxOutputTokens\":").append(spec.maxTokens());
        }
        if (spec.temperature() != null) {
            keys.add("temperature");
            config.append(",\"temperature\":").append(spec.temperature());
        }
        if (spec.responseSchema() != null) {
            keys.addAll(List.of("responseMimeType", "responseJsonSchema"));
            config.append(",\"responseMimeType\":\"application/json\",\"responseJsonSchema\":")
                    .append(spec.responseSchema().json());
        }
        String theirs = optionsConfig(spec.options());
        if (theirs != null) {
            RequestOptions nested = RequestOptions.parse(theirs);
            nested.refuseCollisions(keys, "gemini generationConfig", ProtoJsonValues::camel);
            config.append(nested.spliced());
        }
        return config.length() == 0 ? "" : ",\"generationConfig\":{" + config.substring(1) + "}";
    }

    private static String optionsConfig(RequestOptions options) {
        String camel = options.member(GENERATION_CONFIG);
        String snake = options.member("generation_config");
        if (camel != null && snake != null) {
            throw new IllegalArgumentException("requestOptions has both generationConfig and generation_config");
        }
        String config = camel != null ? camel : snake;
        if (config != null && !config.startsWith("{")) {
            throw new IllegalArgumentException("requestOptions generationConfig must be a JSON object");
        }
        return config;
    }

    /**
     * @param customId the request's key
     * @param values   the record's values, as read by {@link io.github.llmbatch.request.RecordParser}
     * @return the request line without a line terminator
     * @throws Template.MissingFieldException when a template field is missing
     */
    @Override
    public byte[] write(String customId, RecordValues values) {
        buffer.reset();
        buffer.write(start);
        buffer.write(ESCAPE.quoteAsUTF8(customId));
        buffer.write(afterKey);
        user.render(values, buffer);
        buffer.write(afterUser);
        if (system != null) {
            system.render(values, buffer);
        }
        buffer.write(end);
        return buffer.toByteArray();
    }

    private static String quoted(String text) {
        return new String(ESCAPE.quoteAsString(text));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
