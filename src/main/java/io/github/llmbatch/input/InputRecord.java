package io.github.llmbatch.input;

/**
 * One input record as read: its 1-based line number (CSV: the line its row starts on) and its
 * JSON text as UTF-8 bytes ({@code bytes[offset, offset+length)}). The bytes are not validated.
 *
 * @param problem why the source already knows the record is unusable (a CSV row with more cells
 *                than the header), or null; the bytes then hold what was read, for the reject
 */
public record InputRecord(long line, byte[] bytes, int offset, int length, String problem) {

    public InputRecord(long line, byte[] bytes, int offset, int length) {
        this(line, bytes, offset, length, null);
    }
}
