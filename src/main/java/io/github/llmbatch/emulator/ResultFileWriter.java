package io.github.llmbatch.emulator;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes the result lines of one output or error file.
 *
 * <p>Real providers do not keep input order, so by default lines are shuffled: they are collected in
 * blocks of at most {@value #BLOCK_LINES} lines or {@value #BLOCK_BYTES} bytes, each block is shuffled
 * with a {@link Random} seeded from the batch id, then written. Memory stays bounded by one block;
 * the price is that order is only mixed within a block (a 50,000-line file is mixed in ~13 runs).
 */
final class ResultFileWriter implements Closeable {

    static final int BLOCK_LINES = 4096;
    static final int BLOCK_BYTES = 2 * 1024 * 1024;

    private final Path path;
    private final OutputStream out;
    private final Random random;
    private final List<byte[]> block = new ArrayList<>();
    private long blockBytes;
    private long lines;

    /** @param random null keeps the order lines are added in */
    ResultFileWriter(Path path, Random random) throws IOException {
        this.path = path;
        this.out = new BufferedOutputStream(Files.newOutputStream(path), 64 * 1024);
        this.random = random;
    }

    /** Adds one line (without its terminator). */
    void add(byte[] line) throws IOException {
        lines++;
        if (random == null) {
            writeLine(line);
            return;
        }
        block.add(line);
        blockBytes += line.length;
        if (block.size() >= BLOCK_LINES || blockBytes >= BLOCK_BYTES) {
            flushBlock();
        }
    }

    long lines() {
        return lines;
    }

    Path path() {
        return path;
    }

    private void flushBlock() throws IOException {
        Collections.shuffle(block, random);
        for (byte[] line : block) {
            writeLine(line);
        }
        block.clear();
        blockBytes = 0;
    }

    private void writeLine(byte[] line) throws IOException {
        out.write(line);
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        try {
            if (random != null) {
                flushBlock();
            }
        } finally {
            out.close();
        }
    }
}
