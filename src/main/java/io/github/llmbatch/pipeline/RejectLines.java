package io.github.llmbatch.pipeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The rejects file: one {@code {"line":N,"id":…|null,"reason":"…","input":"…"}} per rejected input line. */
final class RejectLines {

    private static final JsonFactory JSON = new JsonFactory();

    private RejectLines() {
    }

    static byte[] encode(Prepared.Reject reject) {
        ByteArrayBuilder out = new ByteArrayBuilder(reject.input().length() + 128);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("line", reject.line());
            g.writeStringField("id", reject.id());
            g.writeStringField("reason", reject.reason());
            g.writeStringField("input", reject.input());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
