package io.github.llmbatch.shard;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A buffered file that is only appended to, and whose checkpoint is a byte offset: a restart
 * reopens it at the last checkpoint and truncates what was written after it, so a line is
 * neither lost nor written twice (the model is Spring Batch's AbstractFileItemWriter).
 *
 * <p>A checkpoint hands everything to the operating system, which keeps it through a killed
 * process. Like Spring Batch's default ({@code forceSync=false}) it does not fsync every
 * checkpoint: that cost a second per 10,000 records on a busy disk. After a power loss that
 * dropped data the checkpoint counted on, {@link #resume} refuses the file instead of going on
 * with a gap.
 */
public final class AppendOnlyFile implements Closeable {

    private static final int BUFFER = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private OrderedDigest digest;
    // buffers the digest has finished with, handed back from its threads
    private final Queue<ByteBuffer> digested = new ConcurrentLinkedQueue<>();
    private long position;

    private AppendOnlyFile(Path path, FileChannel channel, long position) {
        this.path = path;
        this.channel = channel;
        this.position = position;
    }

    /** A new, empty file (an existing one is truncated). */
    public static AppendOnlyFile create(Path path) throws IOException {
        return resume(path, 0);
    }

    /**
     * Reopens a file at a checkpointed offset, dropping anything written after it.
     *
     * @throws IOException when the file is shorter than the checkpoint (data the checkpoint
     *                     counted on was lost; continuing would leave a silent gap)
     */
    public static AppendOnlyFile resume(Path path, long offset) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        long size = ch.size();
        if (size < offset) {
            ch.close();
            throw new IOException(path + " has " + size + " bytes but its checkpoint says " + offset
                    + "; the file was truncated or replaced since the last checkpoint");
        }
        ch.truncate(offset);
        ch.position(offset);
        return new AppendOnlyFile(path, ch, offset);
    }

    /** From now on every byte written is also added to {@code digest}. */
    void digestInto(OrderedDigest digest) {
        this.digest = digest;
    }

    public Path path() {
        return path;
    }

    /** Bytes in the file, including what is still buffered. */
    public long position() {
        return position;
    }

    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.remaining()) {
            drain();
            if (length > buffer.capacity()) {
                if (digest != null) {
                    digest.add(bytes, offset, length);
                }
                writeFully(ByteBuffer.wrap(bytes, offset, length));
                position += length;
                return;
            }
        }
        buffer.put(bytes, offset, length);
        position += length;
    }

    public void write(byte b) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put(b);
        position++;
    }

    /** Writes a line and its terminator. */
    public void writeLine(byte[] line) throws IOException {
        write(line, 0, line.length);
        write((byte) '\n');
    }

    /**
     * Hands everything written so far to the operating system and returns the offset to
     * checkpoint.
     */
    public long sync() throws IOException {
        drain();
        return position;
    }

    /**
     * Also forces the file to the disk, and its directory, so that its name survives a power loss
     * too (for files written once and kept, like a finished shard); returns its size.
     */
    public long force() throws IOException {
        drain();
        channel.force(false);
        forceDirectory(path.toAbsolutePath().getParent());
        return position;
    }

    /** Makes the names in a directory durable: a file just created, or renamed into it. */
    public static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open a directory; the files' data is forced all the same
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        if (digest != null && buffer.hasRemaining()) {
            ByteBuffer full = buffer;
            digest.add(full.array(), 0, full.limit(), () -> digested.add(full));
            writeFully(full);
            // the digest reads the full one on its own time; take one it is done with
            ByteBuffer free = digested.poll();
            buffer = free != null ? free.clear() : ByteBuffer.allocate(BUFFER);
        } else {
            writeFully(buffer);
            buffer.clear();
        }
    }

    // the channel's own exception ("No space left on device") does not say which file
    private void writeFully(ByteBuffer bytes) throws IOException {
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            channel.close();
        }
    }
}
