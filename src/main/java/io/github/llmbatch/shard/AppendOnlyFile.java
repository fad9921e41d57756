package io.github.llmbatch.shard;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

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
 *
 * <p>With {@link #writeBehind} the full buffers are written (and digested) on an executor, one
 * after the other in order, while the caller fills the next: the caller's thread is prepare's
 * critical path. A checkpoint ({@link #sync}) waits until they are all written.
 */
public final class AppendOnlyFile implements Closeable {

    private static final int BUFFER = 1 << 20;
    /**
     * Buffers handed to the executor and not yet written: the caller waits beyond this many. Two
     * keep the executor busy; with eight in flight for each of prepare's two files, the young
     * collections promoted them and prepare's peak heap grew from 100,000 to 1,000,000 records.
     */
    private static final int MAX_BEHIND = 2;

    private final Path path;
    private final FileChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private Sha256 digest;
    private Executor behind;
    // the buffers being written behind, oldest first; each task runs after the one before
    private final ArrayDeque<CompletableFuture<Void>> writing = new ArrayDeque<>();
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
    // buffers written behind, handed back from the executor's threads
    private final Queue<ByteBuffer> written = new ConcurrentLinkedQueue<>();
    // what a write behind failed with: every later write, checkpoint and close throws it again
    private IOException failure;
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

    /** From now on full buffers are written on {@code executor}, in order, while the caller goes on. */
    void writeBehind(Executor executor) {
        this.behind = executor;
    }

    /** From now on every byte written is also added to {@code digest}, in order, where it is written. */
    void digestInto(Sha256 digest) {
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
        if (failure != null) {
            throw failure;
        }
        if (length > buffer.remaining()) {
            drain();
            if (length > buffer.capacity()) {
                awaitWritten();
                if (digest != null) {
                    digest.update(bytes, offset, length);
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
        awaitWritten();
        return position;
    }

    /**
     * Also forces the file to the disk, and its directory, so that its name survives a power loss
     * too (for files written once and kept, like a finished shard); returns its size.
     */
    public long force() throws IOException {
        sync();
        forceToDisk();
        return position;
    }

    private void forceToDisk() throws IOException {
        channel.force(false);
        forceDirectory(path.toAbsolutePath().getParent());
    }

    /**
     * {@link #force} and {@link #close} behind the caller, after the writes before; the future
     * gives the file's size. Nothing may be written afterwards.
     */
    CompletableFuture<Long> finishBehind() throws IOException {
        drain();
        long size = position;
        if (failure != null) {
            throw failure;
        }
        CompletableFuture<Long> finished = lastWrite.thenApplyAsync(ignored -> {
            try {
                forceToDisk();
                channel.close();
                return size;
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("cannot force " + path + ": " + e.getMessage(), e));
            }
        }, behind == null ? Runnable::run : behind);
        lastWrite = finished.thenApply(ignored -> null);
        writing.clear();
        return finished;
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
        if (failure != null) {
            throw failure;
        }
        buffer.flip();
        if (!buffer.hasRemaining()) {
            buffer.clear();
            return;
        }
        if (behind == null) {
            writeAndDigest(buffer);
            buffer.clear();
            return;
        }
        ByteBuffer full = buffer;
        lastWrite = lastWrite.thenRunAsync(() -> {
            try {
                writeAndDigest(full);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(full);
        }, behind);
        writing.add(lastWrite);
        ByteBuffer free = written.poll();
        buffer = free != null ? free.clear() : ByteBuffer.allocate(BUFFER);
        while (writing.size() > MAX_BEHIND || (!writing.isEmpty() && writing.peek().isDone())) {
            awaitWrite(writing.poll());
        }
    }

    private void writeAndDigest(ByteBuffer full) throws IOException {
        if (digest != null) {
            digest.update(full.array(), full.position(), full.remaining());
        }
        writeFully(full);
    }

    /** Waits until every buffer handed on is written; throws what writing one failed with. */
    private void awaitWritten() throws IOException {
        if (failure != null) {
            throw failure;
        }
        while (!writing.isEmpty()) {
            awaitWrite(writing.poll());
        }
    }

    private void awaitWrite(CompletableFuture<Void> write) throws IOException {
        try {
            await(write);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Joins work done behind the caller; throws the IOException it failed with as it was. */
    static <T> T await(CompletableFuture<T> work) throws IOException {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
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
        if (!channel.isOpen()) {
            return; // finished behind
        }
        try {
            drain();
            awaitWritten();
        } finally {
            // a write still running when a failure came first must end before the channel closes
            lastWrite.exceptionally(e -> null).join();
            channel.close();
        }
    }
}
