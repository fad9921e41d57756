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
}
