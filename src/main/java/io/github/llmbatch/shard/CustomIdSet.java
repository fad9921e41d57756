package io.github.llmbatch.shard;

import java.nio.charset.StandardCharsets;

/**
 * The custom_ids seen so far in a job, to refuse a duplicate. Stores a 64-bit fingerprint per
 * id in an open-addressing table (8 bytes an id instead of a String per id), so ten million
 * records cost about 128 MB at most and one million about 16 MB. Two different ids share a
 * fingerprint with probability about n²/2⁶⁵ (under 3 in a million for ten million ids); such a
 * record would be rejected as a duplicate, visibly, never silently dropped.
 */
public final class CustomIdSet {

    private static final long EMPTY = 0;
    private long[] table = new long[1 << 16];
    private int size;

    /** Adds the id; false if it (or its fingerprint) was there already. */
    public boolean add(String customId) {
        long fp = fingerprint(customId);
        if (size * 2 >= table.length) {
            grow();
        }
        boolean added = insert(table, fp);
        if (added) {
            size++;
        }
        return added;
    }

    public int size() {
        return size;
    }

    private boolean insert(long[] t, long fp) {
        int mask = t.length - 1;
        int i = (int) (fp ^ (fp >>> 32)) & mask;
        while (t[i] != EMPTY) {
            if (t[i] == fp) {
                return false;
            }
            i = (i + 1) & mask;
        }
        t[i] = fp;
        return true;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        for (long fp : old) {
            if (fp != EMPTY) {
                insert(table, fp);
            }
        }
    }

    // FNV-1a over the UTF-8 bytes, then a murmur3 finaliser to spread the bits; 0 is reserved.
    static long fingerprint(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }

    @Override
    public String toString() {
        return "CustomIdSet[" + size + " ids, table " + table.length + "]";
    }

}
