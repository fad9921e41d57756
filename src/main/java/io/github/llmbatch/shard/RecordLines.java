package io.github.llmbatch.shard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

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

    /**
     * Encodes a records-file line; {@code record} must be one JSON object (already validated).
     * Runs once per accepted record, so it fills one exactly sized array (no growing buffer
     * and final copy), and escapes the id once when the custom_id is the id itself.
     */
    public static byte[] encode(long line, String id, String customId, byte[] record, int offset, int length) {
        byte[] lineNumber = Long.toString(line).getBytes(StandardCharsets.US_ASCII);
        byte[] escapedId = ESCAPE.quoteAsUTF8(id);
        byte[] escapedCustomId = customId.equals(id) ? escapedId : ESCAPE.quoteAsUTF8(customId);
        byte[] out = new byte[LINE.length + lineNumber.length + ID.length + escapedId.length + CUSTOM_ID.length
                + escapedCustomId.length + RECORD.length + length + 1];
        int at = put(out, 0, LINE, 0, LINE.length);
        at = put(out, at, lineNumber, 0, lineNumber.length);
        at = put(out, at, ID, 0, ID.length);
        at = put(out, at, escapedId, 0, escapedId.length);
        at = put(out, at, CUSTOM_ID, 0, CUSTOM_ID.length);
        at = put(out, at, escapedCustomId, 0, escapedCustomId.length);
        at = put(out, at, RECORD, 0, RECORD.length);
        at = put(out, at, record, offset, length);
        out[at] = '}';
        return out;
    }

    private static int put(byte[] out, int at, byte[] src, int offset, int length) {
        System.arraycopy(src, offset, out, at, length);
        return at + length;
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
