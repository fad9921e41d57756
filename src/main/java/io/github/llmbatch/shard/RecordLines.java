package io.github.llmbatch.shard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The records file of a shard: line n holds the record behind request line n, as
 * {@code {"line":N,"id":"…","custom_id":"…","record":{…the input record…}}}. The record is kept
 * byte for byte as it came in, so the merge returns the input's own fields unchanged.
 */
public final class RecordLines {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final byte[] LINE = "{\"line\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = ",\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CUSTOM_ID = "\",\"custom_id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD = "\",\"record\":".getBytes(StandardCharsets.US_ASCII);

    private RecordLines() {
    }

    /** Encodes a records-file line; {@code record} must be one JSON object (already validated). */
    public static byte[] encode(long line, String id, String customId, byte[] record, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + id.length() * 2 + 64);
        out.writeBytes(LINE);
        out.writeBytes(Long.toString(line).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ID);
        out.writeBytes(ESCAPE.quoteAsUTF8(id));
        out.writeBytes(CUSTOM_ID);
        out.writeBytes(ESCAPE.quoteAsUTF8(customId));
        out.writeBytes(RECORD);
        out.write(record, offset, length);
        out.write('}');
        return out.toByteArray();
    }

    /**
     * Decodes a records-file line.
     *
     * @throws IllegalArgumentException when the line is not one written by {@link #encode}
     */
    public static RecordLine decode(byte[] buf, int offset, int length) {
        try (JsonParser p = JSON.createParser(buf, offset, length)) {
            expect(p.nextToken() == JsonToken.START_OBJECT);
            // Jackson's offsets count from the line's '{', which is its first byte
            int origin = offset - (int) p.currentTokenLocation().getByteOffset();
            long line = -1;
            String id = null;
            String customId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "line" -> line = p.getLongValue();
                    case "id" -> id = p.getText();
                    case "custom_id" -> customId = p.getText();
                    case "record" -> {
                        // encode() writes the record last, so it runs to the line's closing brace:
                        // no need to read through it here
                        expect(v == JsonToken.START_OBJECT && line >= 0 && id != null && customId != null);
                        int recordStart = origin + (int) p.currentTokenLocation().getByteOffset();
                        int recordEnd = lastBrace(buf, offset, length);
                        expect(recordEnd > recordStart);
                        return new RecordLine(line, id, customId, buf, recordStart, recordEnd - recordStart);
                    }
                    default -> p.skipChildren();
                }
            }
            throw new IllegalArgumentException("corrupt records line: no record");
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt records line: " + e.getMessage(), e);
        }
    }

    /** Index of the final '}' (the line's own), trailing blanks aside. */
    private static int lastBrace(byte[] buf, int offset, int length) {
        int i = offset + length - 1;
        while (i > offset && buf[i] != '}') {
            i--;
        }
        return i;
    }

    private static void expect(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("corrupt records line");
        }
    }

    /**
     * One decoded records line; {@code buffer[recordOffset, recordOffset+recordLength)} is the
     * input record's JSON. The buffer is the caller's and may be reused after the next read.
     */
    public record RecordLine(long line, String id, String customId, byte[] buffer, int recordOffset,
                             int recordLength) {
    }
}
