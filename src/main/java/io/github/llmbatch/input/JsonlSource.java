package io.github.llmbatch.input;

import io.github.llmbatch.shard.LineReader;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/** JSON Lines: one record per line; the checkpoint is a byte offset and a line number. */
final class JsonlSource implements InputSource {

    private final LineReader lines;
    private long lineNumber;
    private long offset;

    JsonlSource(Path file, Position resume) throws IOException {
        Position start = resume == null ? new Position(0, 0) : resume;
        this.lines = new LineReader(file, start.offset());
        this.lineNumber = start.line();
        this.offset = start.offset();
    }

    @Override
    public InputRecord next() throws IOException {
        if (!lines.next()) {
            return null;
        }
        lineNumber++;
        offset = lines.offsetAfterLine();
        int start = lines.start();
        int length = lines.length();
        byte[] buf = lines.buffer();
        if (lineNumber == 1 && length >= 3 && (buf[start] & 0xff) == 0xEF && (buf[start + 1] & 0xff) == 0xBB
                && (buf[start + 2] & 0xff) == 0xBF) {
            start += 3; // a UTF-8 byte order mark is not part of the record
            length -= 3;
        }
        byte[] copy = new byte[length];
        System.arraycopy(buf, start, copy, 0, length);
        return new InputRecord(lineNumber, copy, 0, length);
    }

    @Override
    public Serializable checkpoint() {
        return new Position(offset, lineNumber);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    record Position(long offset, long line) implements Serializable {
    }
}
