package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The emulator's one JSON factory, and rendering of small documents. */
final class EmulatorJson {

    /**
     * Strings as long as the largest file the emulator takes (Jackson's default cap, 20 million
     * characters, would refuse request lines the provider's limits allow).
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE, EmulatorLimits.defaults().maxUploadBytes()))
                    .build())
            .build();

    /** Writes one JSON value. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private EmulatorJson() {
    }

    static byte[] render(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void writeError(JsonGenerator json, String message, String type, String param, String code)
            throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("error");
        json.writeStringField("message", message);
        json.writeStringField("type", type);
        writeNullableString(json, "param", param);
        writeNullableString(json, "code", code);
        json.writeEndObject();
        json.writeEndObject();
    }

    static void writeNullableString(JsonGenerator json, String field, String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }

    static void writeNullableLong(JsonGenerator json, String field, Long value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    /**
     * A {@code usage} object in the shape of OpenAI's Responses API and of a batch's own usage:
     * {@code input_tokens} (cached ones included), {@code input_tokens_details.cached_tokens},
     * {@code output_tokens}, {@code output_tokens_details.reasoning_tokens} (0) and the total.
     */
    static void writeTokenUsage(JsonGenerator json, long inputTokens, long cachedInputTokens, long outputTokens)
            throws IOException {
        json.writeObjectFieldStart("usage");
        json.writeNumberField("input_tokens", inputTokens);
        json.writeObjectFieldStart("input_tokens_details");
        json.writeNumberField("cached_tokens", cachedInputTokens);
        json.writeEndObject();
        json.writeNumberField("output_tokens", outputTokens);
        json.writeObjectFieldStart("output_tokens_details");
        json.writeNumberField("reasoning_tokens", 0);
        json.writeEndObject();
        json.writeNumberField("total_tokens", inputTokens + outputTokens);
        json.writeEndObject();
    }
}
