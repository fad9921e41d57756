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

import java.nio.charset.StandardCharsets;

/**
 * Writes one OpenAI batch request line ({@code custom_id}, {@code method}, {@code url},
 * {@code body}) per record. Everything that is the same for every request is encoded once; a
 * record adds its custom_id and its template values, copied as escaped bytes. Not thread-safe.
 */
public final class OpenAiRequestLines implements RequestLineWriter {

    static final String ID_FIELD = "custom_id";

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final EscapedTemplate system;
    private final EscapedTemplate user;
    private final byte[] start = utf8("{\"" + ID_FIELD + "\":\"");
    private final byte[] afterId;
    private final byte[] betweenMessages = utf8("\"},{\"role\":\"user\",\"content\":\"");
    private final byte[] end;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    public OpenAiRequestLines(RequestSpec spec, FieldSlots slots) {
        this.user = new EscapedTemplate(spec.userTemplate(), slots);
        boolean chat = spec.endpoint() == Endpoint.CHAT_COMPLETIONS;
        boolean hasSystem = chat && spec.hasSystemPrompt();
        this.system = hasSystem ? new EscapedTemplate(spec.systemPrompt(), slots) : null;
        String head = "\",\"method\":\"POST\",\"url\":\"" + quoted(OpenAiProfile.path(spec.endpoint()))
                + "\",\"body\":{\"model\":\"" + quoted(spec.model()) + "\",";
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

    @Override
    public byte[] write(String customId, RecordValues values) {
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
