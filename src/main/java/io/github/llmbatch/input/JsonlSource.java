package io.github.llmbatch.input;

import io.github.llmbatch.shard.LineReader;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/** JSON Lines: one record per line; the checkpoint is a byte offset and a line number. */
final class JsonlSource implements InputSource {

    /**
     * Records are copied out of the reader's buffer one after the other into a shared array, each
     * followed by a line terminator, rather than each into an array of its own: fewer objects, and
     * a run of records in one array can be parsed by one parser. An array is never written again
     * where a record was handed out.
     */
    private static final int SLAB = 1 << 18;

    private final LineReader lines;
    private byte[] slab = new byte[0];
    private int slabUsed;
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
        if (slab.length - slabUsed < length + 1) {
            slab = new byte[Math.max(SLAB, length + 1)];
            slabUsed = 0;
        }
        System.arraycopy(buf, start, slab, slabUsed, length);
        slab[slabUsed + length] = '\n';
        InputRecord record = new InputRecord(lineNumber, slab, slabUsed, length);
        slabUsed += length + 1;
        return record;
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
