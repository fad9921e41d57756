package io.github.llmbatch.merge;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import io.github.llmbatch.shard.AppendOnlyFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One JSON object per line: {@code id, status, content, (parsed,) error, usage, attempts}, then the
 * input's own fields copied byte for byte. Written as bytes: the fixed parts are constants,
 * content and usage are already JSON.
 */
final class MergedJsonlWriter extends MergedWriter {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final byte[] ID = bytes("{\"id\":\"");
    private static final byte[] SUCCEEDED = bytes("\",\"status\":\"succeeded\",\"content\":");
    private static final byte[] FAILED = bytes("\",\"status\":\"failed\",\"content\":");
    private static final byte[] PARSED = bytes(",\"parsed\":");
    private static final byte[] ERROR = bytes(",\"error\":{\"code\":");
    private static final byte[] MESSAGE = bytes(",\"message\":");
    private static final byte[] NO_ERROR = bytes(",\"error\":null");
    private static final byte[] USAGE = bytes("},\"usage\":");
    private static final byte[] USAGE_AFTER_NO_ERROR = bytes(",\"usage\":");
    private static final byte[] ATTEMPTS = bytes(",\"attempts\":");
    private static final byte[] NULL = bytes("null");

    private final ByteArrayBuilder out = new ByteArrayBuilder(4096);

    private final boolean parsed;

    /** @param parsed whether records carry {@code parsed} (the job has a response schema) */
    MergedJsonlWriter(AppendOnlyFile file, boolean parsed) {
        super(file);
        this.parsed = parsed;
    }

    @Override
    public void write(MergedRecord r) throws IOException {
        out.reset();
        out.write(ID);
        out.write(ESCAPE.quoteAsUTF8(r.id()));
        out.write(r.succeeded() ? SUCCEEDED : FAILED);
        writeJson(r.contentJson());
        if (parsed) {
            out.write(PARSED);
            writeJson(r.parsedJson());
        }
        if (r.succeeded()) {
            out.write(NO_ERROR);
            out.write(USAGE_AFTER_NO_ERROR);
        } else {
            out.write(ERROR);
            writeString(r.errorCode());
            out.write(MESSAGE);
            writeString(r.errorMessage());
            out.write(USAGE);
        }
        writeJson(r.usageJson());
        out.write(ATTEMPTS);
        out.write(bytes(Integer.toString(r.attempts())));
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
        file.write(out.toByteArray());
    }

    private void writeJson(String json) {
        out.write(json == null ? NULL : bytes(json));
    }

    private void writeString(String text) {
        if (text == null) {
            out.write(NULL);
        } else {
            out.write('"');
            out.write(ESCAPE.quoteAsUTF8(text));
            out.write('"');
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
