package io.github.llmbatch.provider.anthropic;

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
 * Writes one Message Batches request per record (BATCH-PROTOCOLS.md §B.1), one per line of the
 * shard file; {@link AnthropicCreateBody} later joins the lines into the create call's
 * {@code requests} array:
 * <pre>{"custom_id":"&lt;id&gt;","params":{"model":"&lt;m&gt;","max_tokens":n,"system":"&lt;system&gt;",
 *  "messages":[{"role":"user","content":"&lt;user&gt;"}],"temperature":t}}</pre>
 * {@code system} and {@code temperature} only when given. A response schema adds a forced tool
 * ({@code "tools":[{"name","description","input_schema":<schema>}],"tool_choice":{"type":"tool","name"}}),
 * whose input is the answer; the job's request options are appended to {@code params} as they are.
 * The parts every request shares are encoded once; a record adds its custom_id and its template values
 * as escaped bytes. Not thread-safe.
 */
public final class AnthropicRequestLines implements RequestLineWriter {

    static final String ID_FIELD = "custom_id";

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final EscapedTemplate system;
    private final EscapedTemplate user;
    private final byte[] start = utf8("{\"" + ID_FIELD + "\":\"");
    private final byte[] afterId;
    private final byte[] beforeUser = utf8("\"messages\":[{\"role\":\"user\",\"content\":\"");
    private final byte[] afterSystem = utf8("\",");
    private final byte[] end;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    /** What the forced tool is for, as the model reads it. */
    static final String TOOL_DESCRIPTION = "Give your answer as this tool's input, in the shape its input schema"
            + " describes.";

    /**
     * @throws IllegalArgumentException without {@code maxTokens} (Anthropic requires {@code max_tokens},
     *         at least 1 in batches) or for embeddings: the job makes a writer when it reads its
     *         parameters, so such a job fails before anything is read
     */
    public AnthropicRequestLines(RequestSpec spec, FieldSlots slots) {
        if (spec.endpoint() != Endpoint.CHAT_COMPLETIONS) {
            throw new IllegalArgumentException(AnthropicProfile.NO_EMBEDDINGS);
        }
        if (spec.maxTokens() == null) {
            throw new IllegalArgumentException("provider anthropic requires maxTokens: the Messages API has no"
                    + " default for max_tokens");
        }
        if (spec.maxTokens() < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1 for provider anthropic (max_tokens 0"
                    + " is refused in batches): " + spec.maxTokens());
        }
        this.user = new EscapedTemplate(spec.userTemplate(), slots);
        this.system = spec.hasSystemPrompt() ? new EscapedTemplate(spec.systemPrompt(), slots) : null;
        this.afterId = utf8("\",\"params\":{\"model\":\"" + quoted(spec.model()) + "\",\"max_tokens\":"
                + spec.maxTokens() + "," + (system == null ? "" : "\"system\":\""));
        List<String> keys = new ArrayList<>(List.of("model", "max_tokens", "messages"));
        if (system != null) {
            keys.add("system");
        }
        StringBuilder tail = new StringBuilder("\"}]");
        if (spec.temperature() != null) {
            keys.add("temperature");
            tail.append(",\"temperature\":").append(spec.temperature());
        }
        ResponseSchema schema = spec.responseSchema();
        if (schema != null) {
            // a forced tool: its input is the answer, shaped by input_schema
            keys.addAll(List.of("tools", "tool_choice"));
            tail.append(",\"tools\":[{\"name\":\"").append(quoted(schema.name()))
                    .append("\",\"description\":\"").append(quoted(TOOL_DESCRIPTION))
                    .append("\",\"input_schema\":").append(schema.json())
                    .append("}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"").append(quoted(schema.name()))
                    .append("\"}");
        }
        spec.options().refuseCollisions(keys, AnthropicProfile.NAME + " Messages");
        this.end = utf8(tail + spec.options().spliced() + "}}");
    }

    @Override
    public byte[] write(String customId, RecordValues values) {
        buffer.reset();
        buffer.write(start);
        buffer.write(ESCAPE.quoteAsUTF8(customId));
        buffer.write(afterId);
        if (system != null) {
            system.render(values, buffer);
            buffer.write(afterSystem);
        }
        buffer.write(beforeUser);
        user.render(values, buffer);
        buffer.write(end);
        return buffer.toByteArray();
    }

    /** The custom_id of a line written here. */
    static String customIdOf(byte[] line, int offset, int length) {
        return RequestLines.idOf(line, offset, length, ID_FIELD);
    }

    private static String quoted(String text) {
        return new String(ESCAPE.quoteAsString(text));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
