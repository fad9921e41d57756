package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Builds one OpenAI batch request line ({@code custom_id}, {@code method}, {@code url},
 * {@code body}) for a record. Not thread-safe: one builder per reader thread.
 */
public final class RequestLineBuilder {

    private static final JsonFactory JSON = new JsonFactory();

    private final RequestSpec spec;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    public RequestLineBuilder(RequestSpec spec) {
        this.spec = spec;
    }

    /**
     * @param fields the record's values by field name (null = missing)
     * @return the request line without a line terminator
     * @throws Template.MissingFieldException when a template field is missing
     */
    public byte[] build(String customId, Function<String, String> fields) {
        String user = spec.userTemplate().render(fields);
        String system = spec.systemPrompt() == null ? null : spec.systemPrompt().render(fields);
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("custom_id", customId);
            g.writeStringField("method", "POST");
            g.writeStringField("url", spec.endpoint().path());
            g.writeObjectFieldStart("body");
            g.writeStringField("model", spec.model());
            switch (spec.endpoint()) {
                case CHAT_COMPLETIONS -> writeChat(g, system, user);
                case EMBEDDINGS -> g.writeStringField("input", user);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** How many embedding inputs one request carries (counts toward the 50,000 per batch). */
    public int inputsPerRequest() {
        return spec.endpoint() == Endpoint.EMBEDDINGS ? 1 : 0;
    }

    private void writeChat(JsonGenerator g, String system, String user) throws IOException {
        g.writeArrayFieldStart("messages");
        if (system != null && !system.isEmpty()) {
            writeMessage(g, "system", system);
        }
        writeMessage(g, "user", user);
        g.writeEndArray();
        if (spec.maxTokens() != null) {
            g.writeNumberField("max_tokens", spec.maxTokens());
        }
        if (spec.temperature() != null) {
            g.writeNumberField("temperature", spec.temperature());
        }
    }

    private static void writeMessage(JsonGenerator g, String role, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }
}
