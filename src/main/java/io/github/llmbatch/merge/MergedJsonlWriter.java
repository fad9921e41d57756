package io.github.llmbatch.merge;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import io.github.llmbatch.shard.AppendOnlyFile;

import java.io.IOException;

/**
 * One JSON object per line: {@code id, status, content, error, usage, attempts}, then the
 * input's own fields copied byte for byte.
 */
final class MergedJsonlWriter extends MergedWriter {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT).build();
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final ByteArrayBuilder out = new ByteArrayBuilder(4096);

    MergedJsonlWriter(AppendOnlyFile file) {
        super(file);
    }

    @Override
    public void write(MergedRecord r) throws IOException {
        out.reset();
        // The object is left open: the input's fields are appended as raw bytes after it.
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("status", r.status());
            g.writeFieldName("content");
            writeRawOrNull(g, r.contentJson());
            g.writeFieldName("error");
            if (r.succeeded()) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("code", r.errorCode());
                g.writeStringField("message", r.errorMessage());
                g.writeEndObject();
            }
            g.writeFieldName("usage");
            writeRawOrNull(g, r.usageJson());
            g.writeNumberField("attempts", r.attempts());
        }
        OwnFields.forEach(r.record(), r.recordOffset(), r.recordLength(), (name, kind, p, buf, start, end) -> {
            out.write(',');
            out.write('"');
            out.write(ESCAPE.quoteAsUTF8(name));
            out.write('"');
            out.write(':');
            out.write(buf, start, end - start);
        });
        out.write('}');
        out.write('\n');
        byte[] bytes = out.toByteArray();
        file.write(bytes, 0, bytes.length);
    }

    private static void writeRawOrNull(JsonGenerator g, String json) throws IOException {
        if (json == null) {
            g.writeNull();
        } else {
            g.writeRawValue(json);
        }
    }
}
