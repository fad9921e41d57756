package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.EscapedTemplate;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestLines;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.ResponseSchema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one OpenAI batch request line ({@code custom_id}, {@code method}, {@code url},
 * {@code body}) per record. Everything that is the same for every request is encoded once; a
 * record adds its custom_id and its template values, copied as escaped bytes. Not thread-safe.
 *
 * <p>Bodies: chat completions {@code {model, messages, max_completion_tokens, temperature,
 * response_format}}; Responses {@code {model, instructions, input, max_output_tokens, temperature, text}}
 * (the system prompt is the {@code instructions}, the user template the {@code input}); embeddings
 * {@code {model, input}}. A response schema goes in as a strict {@code json_schema} format; the job's
 * request options are appended to every body as they are.
 */
public final class OpenAiRequestLines implements RequestLineWriter {

    static final String ID_FIELD = "custom_id";

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final EscapedTemplate system;
    private final EscapedTemplate user;
    private final byte[] start = utf8("{\"" + ID_FIELD + "\":\"");
    private final byte[] afterId;
    private final byte[] betweenTemplates;
    private final byte[] end;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    /** @throws IllegalArgumentException when the request options set a key this writer writes */
    public OpenAiRequestLines(RequestSpec spec, FieldSlots slots) {
        this.user = new EscapedTemplate(spec.userTemplate(), slots);
        boolean hasSystem = spec.endpoint() != Endpoint.EMBEDDINGS && spec.hasSystemPrompt();
        this.system = hasSystem ? new EscapedTemplate(spec.systemPrompt(), slots) : null;
        String path = OpenAiProfile.path(spec.endpoint());
        String head = "\",\"method\":\"POST\",\"url\":\"" + quoted(path)
                + "\",\"body\":{\"model\":\"" + quoted(spec.model()) + "\",";
        List<String> keys = new ArrayList<>(List.of("model"));
        StringBuilder tail = new StringBuilder();
        ResponseSchema schema = spec.responseSchema();
        switch (spec.endpoint()) {
            case CHAT_COMPLETIONS -> {
                keys.add("messages");
                afterId = utf8(head + "\"messages\":[{\"role\":\"" + (hasSystem ? "system" : "user") + "\",\"content\":\"");
                betweenTemplates = utf8("\"},{\"role\":\"user\",\"content\":\"");
                tail.append("\"}]");
                // max_tokens is deprecated for chat and refused by the o-series and gpt-5 models
                member(tail, keys, "max_completion_tokens", spec.maxTokens());
                member(tail, keys, "temperature", spec.temperature());
                if (schema != null) {
                    member(tail, keys, "response_format", "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\""
                            + quoted(schema.name()) + "\",\"schema\":" + schema.json() + ",\"strict\":true}}");
                }
            }
            case RESPONSES -> {
                keys.add("input");
                if (hasSystem) {
                    keys.add("instructions");
                }
                afterId = utf8(head + (hasSystem ? "\"instructions\":\"" : "\"input\":\""));
                betweenTemplates = utf8("\",\"input\":\"");
                tail.append('"');
                member(tail, keys, "max_output_tokens", spec.maxTokens());
                member(tail, keys, "temperature", spec.temperature());
                if (schema != null) {
                    member(tail, keys, "text", "{\"format\":{\"type\":\"json_schema\",\"name\":\""
                            + quoted(schema.name()) + "\",\"schema\":" + schema.json() + ",\"strict\":true}}");
                }
            }
            default -> {
                keys.add("input");
                afterId = utf8(head + "\"input\":\"");
                betweenTemplates = new byte[0];
                tail.append('"');
            }
        }
        spec.options().refuseCollisions(keys, OpenAiProfile.NAME + " " + path);
        end = utf8(tail + spec.options().spliced() + "}}");
    }

    private static void member(StringBuilder tail, List<String> keys, String key, Object json) {
        if (json != null) {
            keys.add(key);
            tail.append(",\"").append(key).append("\":").append(json);
        }
    }

    @Override
    public byte[] write(String customId, RecordValues values) {
        buffer.reset();
        buffer.write(start);
        buffer.write(ESCAPE.quoteAsUTF8(customId));
        buffer.write(afterId);
        if (system != null) {
            system.render(values, buffer);
            buffer.write(betweenTemplates);
        }
        user.render(values, buffer);
        buffer.write(end);
        return buffer.toByteArray();
    }

    /** The custom_id of a line written here. */
    public static String customIdOf(byte[] line, int offset, int length) {
        return RequestLines.idOf(line, offset, length, ID_FIELD);
    }

    private static String quoted(String text) {
        return new String(ESCAPE.quoteAsString(text));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
