package io.github.llmbatch.shard;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The custom_ids seen so far in a job, to refuse a duplicate. Keeps a 64-bit fingerprint per id
 * in an open-addressing table in a memory-mapped file, so the Java heap stays the same whatever
 * the number of records: the table (16 to 32 bytes an id, 16 MB for a million) lives in the
 * operating system's page cache, which can write it out under memory pressure. Two different
 * ids share a fingerprint with probability about n²/2⁶⁵ (under 3 in a million for ten million
 * ids); such a record would be rejected as a duplicate, visibly, never silently dropped.
 */
public final class CustomIdSet implements Closeable {

    private static final long EMPTY = 0;
    private static final int INITIAL_SLOTS = 1 << 16;

    private final Path file;
    private LongBuffer table;
    private int slots;
    private int size;

    /** A new, empty set kept in {@code file} (replaced if it exists). */
    public CustomIdSet(Path file) throws IOException {
        this.file = file;
        this.table = map(file, INITIAL_SLOTS);
        this.slots = INITIAL_SLOTS;
    }

    /** Adds the id; false if it (or its fingerprint) was there already. */
    public boolean add(String customId) throws IOException {
        return addFingerprint(Fingerprint.of(customId));
    }

    /** Adds an id by its {@link Fingerprint} (computed ahead, off the writing thread); false if it was there already. */
    public boolean addFingerprint(long fp) throws IOException {
        if (size * 2L >= slots) {
            grow();
        }
        boolean added = insert(table, slots, fp);
        if (added) {
            size++;
        }
        return added;
    }

    public int size() {
        return size;
    }

    private static boolean insert(LongBuffer t, int slots, long fp) {
        int mask = slots - 1;
        int i = (int) (fp ^ (fp >>> 32)) & mask;
        long current;
        while ((current = t.get(i)) != EMPTY) {
            if (current == fp) {
                return false;
            }
            i = (i + 1) & mask;
        }
        t.put(i, fp);
        return true;
    }

    private void grow() throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        LongBuffer bigger = map(next, slots * 2);
        for (int i = 0; i < slots; i++) {
            long fp = table.get(i);
            if (fp != EMPTY) {
                insert(bigger, slots * 2, fp);
            }
        }
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        table = bigger;
        slots *= 2;
    }

    // A fresh file of zeros (EMPTY) mapped whole; the mapping outlives the channel.
    private static LongBuffer map(Path file, int slots) throws IOException {
        Files.deleteIfExists(file);
        long bytes = (long) slots * Long.BYTES;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            reserve(ch, file, bytes);
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes).order(ByteOrder.nativeOrder()).asLongBuffer();
        }
    }

    /**
     * Writes the zeros instead of letting the mapping extend the file: a sparse file on a full
     * disk fails only when a page is first touched, as a SIGBUS the JVM reports as an
     * InternalError naming nothing; written zeros fail here, with the file and the reason.
     */
    private static void reserve(FileChannel ch, Path file, long bytes) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
        try {
            for (long written = 0; written < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - written));
                written += ch.write(zeros, written);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Drops the table; it is rebuilt from the shards' records files on a restart. */
    @Override
    public void close() throws IOException {
        table = null;
        Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return "CustomIdSet[" + size + " ids, " + slots + " slots in " + file + "]";
    }
}
