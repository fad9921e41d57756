package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.EscapedTemplate;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;

import java.nio.charset.StandardCharsets;

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
 * <p>Field names are lowerCamelCase, as the SDKs send them (the docs' examples use snake_case; the
 * API takes both, §C.0).
 */
public final class GeminiRequestLineBuilder implements RequestLineWriter {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final EscapedTemplate system;
    private final EscapedTemplate user;
    private final byte[] start = utf8("{\"key\":\"");
    private final byte[] afterKey;
    private final byte[] afterUser;
    private final byte[] end;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    public GeminiRequestLineBuilder(RequestSpec spec, FieldSlots slots) {
        this.user = new EscapedTemplate(spec.userTemplate(), slots);
        boolean chat = spec.endpoint() == Endpoint.CHAT_COMPLETIONS;
        Template systemPrompt = spec.systemPrompt();
        boolean hasSystem = chat && systemPrompt != null
                && !(systemPrompt.isConstant() && systemPrompt.toString().isEmpty());
        this.system = hasSystem ? new EscapedTemplate(systemPrompt, slots) : null;
        if (chat) {
            afterKey = utf8("\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"");
            afterUser = utf8(hasSystem ? "\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"" : "\"}]}]");
            end = utf8((hasSystem ? "\"}]}" : "") + generationConfig(spec) + "}}");
        } else {
            afterKey = utf8("\",\"request\":{\"model\":\"" + quoted(GeminiModels.resourceName(spec.model()))
                    + "\",\"content\":{\"parts\":[{\"text\":\"");
            afterUser = utf8("\"}]}}}");
            end = new byte[0];
        }
    }

    private static String generationConfig(RequestSpec spec) {
        if (spec.maxTokens() == null && spec.temperature() == null) {
            return "";
        }
        StringBuilder config = new StringBuilder(",\"generationConfig\":{");
        if (spec.maxTokens() != null) {
            config.append("\"maxOutputTokens\":").append(spec.maxTokens());
        }
        if (spec.temperature() != null) {
            config.append(spec.maxTokens() != null ? "," : "").append("\"temperature\":").append(spec.temperature());
        }
        return config.append('}').toString();
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
