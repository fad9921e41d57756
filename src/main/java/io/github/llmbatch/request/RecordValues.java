package io.github.llmbatch.request;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One record's values for the fields a job reads, as slices of the input line. A string value
 * is kept as its escaped JSON text between the quotes, so it goes into a request line as it is:
 * no decoding to a Java string and encoding back. Reused from record to record.
 */
public final class RecordValues {

    static final byte ABSENT = 0;
    /** Escaped string content, without the quotes. */
    static final byte STRING = 1;
    /** A number or boolean: its JSON text needs no escaping inside a string. */
    static final byte SCALAR = 2;
    /** An object or array: its JSON text must be escaped to become string content. */
    static final byte NESTED = 3;

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private byte[] line;
    private final int[] start;
    private final int[] end;
    private final byte[] kind;
    private String id;
    private boolean idOfOtherType;

    public RecordValues(FieldSlots slots) {
        start = new int[slots.size()];
        end = new int[slots.size()];
        kind = new byte[slots.size()];
    }

    void reset(byte[] line) {
        this.line = line;
        this.id = null;
        this.idOfOtherType = false;
        Arrays.fill(kind, ABSENT);
    }

    void set(int slot, byte valueKind, int from, int to) {
        kind[slot] = valueKind;
        start[slot] = from;
        end[slot] = to;
    }

    void id(String text) {
        this.id = text;
    }

    void idOfOtherType() {
        this.idOfOtherType = true;
    }

    /** The id field's value as text (a number's digits), or null when absent or null. */
    public String id() {
        return id;
    }

    /** Whether the id is an object, array or boolean rather than a string or number. */
    public boolean idNotAStringOrNumber() {
        return idOfOtherType;
    }

    public boolean present(int slot) {
        return kind[slot] != ABSENT;
    }

    /** Appends the value as JSON string content (escaped, without quotes). */
    void appendEscaped(int slot, ByteArrayBuilder out) {
        int from = start[slot];
        int length = end[slot] - from;
        if (kind[slot] == NESTED) {
            out.write(ESCAPE.quoteAsUTF8(new String(line, from, length, StandardCharsets.UTF_8)));
        } else {
            out.write(line, from, length);
        }
    }
}
