package io.github.llmbatch.shard;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a file line by line as raw UTF-8 bytes and knows the byte offset after each line, so a
 * reader can checkpoint an offset and resume there. {@code \n} and {@code \r\n} both end a line;
 * a last line without a terminator is still a line.
 */
public final class LineReader implements Closeable {

    private final FileChannel channel;
    private byte[] buf = new byte[1 << 16];
    private int start;      // start of the current line in buf
    private int length;     // length of the current line, without terminator
    private int scan;       // where the next line starts in buf
    private int limit;      // bytes valid in buf
    private long bufOffset; // file offset of buf[0]
    private boolean eof;

    public LineReader(Path file, long startOffset) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(startOffset);
        bufOffset = startOffset;
    }

    /** Advances to the next line; false at end of file. */
    public boolean next() throws IOException {
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    start = scan;
                    int end = i > scan && buf[i - 1] == '\r' ? i - 1 : i;
                    length = end - start;
                    scan = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (scan < limit) {
                    start = scan;
                    length = limit - scan;
                    scan = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (scan > 0) {
            System.arraycopy(buf, scan, buf, 0, limit - scan);
            bufOffset += scan;
            limit -= scan;
            scan = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = channel.read(ByteBuffer.wrap(buf, limit, buf.length - limit));
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** The buffer holding the current line; valid until the next call to {@link #next()}. */
    public byte[] buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    public int length() {
        return length;
    }

    /** A copy of the current line. */
    public byte[] line() {
        return Arrays.copyOfRange(buf, start, start + length);
    }

    /** File offset of the first byte of the current line. */
    public long lineOffset() {
        return bufOffset + start;
    }

    /** File offset just after the current line and its terminator: where a resume starts. */
    public long offsetAfterLine() {
        return bufOffset + scan;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
