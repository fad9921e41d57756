package io.github.llmbatch.input;

/**
 * One input record as read: its 1-based line number (CSV: the line its row starts on) and its
 * JSON text as UTF-8 bytes ({@code bytes[offset, offset+length)}). The bytes are not validated.
 */
public record InputRecord(long line, byte[] bytes, int offset, int length) {
}
