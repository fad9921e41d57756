package io.github.llmbatch.request;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.nio.charset.StandardCharsets;

/**
 * Builds one OpenAI batch request line ({@code custom_id}, {@code method}, {@code url},
 * {@code body}) per record. Everything that is the same for every request is encoded once; a
 * record adds its custom_id and its template values, copied as escaped bytes. Not thread-safe.
 */
public final class RequestLineBuilder {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final Endpoint endpoint;
    private final EscapedTemplate system;
    private final EscapedTemplate user;
    private final byte[] start = utf8("{\"custom_id\":\"");
    private final byte[] afterId;
    private final byte[] betweenMessages = utf8("\"},{\"role\":\"user\",\"content\":\"");
    private final byte[] end;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    public RequestLineBuilder(RequestSpec spec, FieldSlots slots) {
        this.endpoint = spec.endpoint();
        this.user = new EscapedTemplate(spec.userTemplate(), slots);
        boolean chat = endpoint == Endpoint.CHAT_COMPLETIONS;
        boolean hasSystem = chat && spec.systemPrompt() != null
                && !(spec.systemPrompt().isConstant() && spec.systemPrompt().toString().isEmpty());
        this.system = hasSystem ? new EscapedTemplate(spec.systemPrompt(), slots) : null;
        String head = "\",\"method\":\"POST\",\"url\":\"" + quoted(endpoint.path()) + "\",\"body\":{\"model\":\""
                + quoted(spec.model()) + "\",";
        if (chat) {
            afterId = utf8(head + "\"messages\":[{\"role\":\"" + (hasSystem ? "system" : "user") + "\",\"content\":\"");
            // max_tokens is deprecated for chat and refused by the o-series and gpt-5 models
            end = utf8("\"}]" + (spec.maxTokens() == null ? "" : ",\"max_completion_tokens\":" + spec.maxTokens())
                    + (spec.temperature() == null ? "" : ",\"temperature\":" + spec.temperature()) + "}}");
        } else {
            afterId = utf8(head + "\"input\":\"");
            end = utf8("\"}}");
        }
    }

    /**
     * @param customId the request's custom_id
     * @param values   the record's values, as read by {@link RecordParser}
     * @return the request line without a line terminator
     * @throws Template.MissingFieldException when a template field is missing
     */
    public byte[] build(String customId, RecordValues values) {
        buffer.reset();
        buffer.write(start);
        buffer.write(ESCAPE.quoteAsUTF8(customId));
        buffer.write(afterId);
        if (system != null) {
            system.render(values, buffer);
            buffer.write(betweenMessages);
        }
        user.render(values, buffer);
        buffer.write(end);
        return buffer.toByteArray();
    }

    /** How many embedding inputs one request carries (counts toward the 50,000 per batch). */
    public int inputsPerRequest() {
        return endpoint == Endpoint.EMBEDDINGS ? 1 : 0;
    }

    private static String quoted(String text) {
        return new String(ESCAPE.quoteAsString(text));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
