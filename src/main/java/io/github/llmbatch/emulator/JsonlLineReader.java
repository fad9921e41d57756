package io.github.llmbatch.emulator;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a JSONL file line by line into a reused buffer, so a file of any size needs memory only for
 * its longest line. Line terminators ({@code \n} or {@code \r\n}) are not part of a line.
 */
final class JsonlLineReader implements Closeable {

    private final InputStream in;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLim;
    private byte[] line = new byte[8 * 1024];
    private int lineLength;
    private long lineNumber;

    JsonlLineReader(Path file) throws IOException {
        this.in = Files.newInputStream(file);
    }

    /** Advances to the next line; false at end of file. */
    boolean next() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLim) {
                chunkLim = in.read(chunk);
                chunkPos = 0;
                if (chunkLim <= 0) {
                    chunkLim = 0;
                    if (any) {
                        lineNumber++;
                        return true;
                    }
                    return false;
                }
            }
            any = true;
            int start = chunkPos;
            while (chunkPos < chunkLim && chunk[chunkPos] != '\n') {
                chunkPos++;
            }
            append(start, chunkPos);
            if (chunkPos < chunkLim) {
                chunkPos++; // the '\n'
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                lineNumber++;
                return true;
            }
        }
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }

    /** 1-based number of the current line in the file. */
    long lineNumber() {
        return lineNumber;
    }

    /** Whether the current line holds only blanks. */
    boolean blank() {
        for (int i = 0; i < lineLength; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
