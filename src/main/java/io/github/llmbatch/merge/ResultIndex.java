package io.github.llmbatch.merge;

import io.github.llmbatch.shard.Fingerprint;

import java.util.Arrays;

/**
 * The results of one shard by custom_id. Built from the shard's attempts in order, so a later
 * attempt's line replaces an earlier one: the merge takes the latest. Holds positions in
 * primitive arrays keyed by the id's 64-bit fingerprint, and is cleared and reused from shard to
 * shard, so it makes no garbage per id (a map of strings per shard lived just long enough to
 * fill the old generation). Two ids of one shard sharing a fingerprint (about 1 in 10¹⁰ for
 * 50,000 ids) is caught by the caller, which checks the custom_id of the line it reads.
 */
public final class ResultIndex {

    private static final int INITIAL_SLOTS = 1 << 17;

    private long[] keys = new long[INITIAL_SLOTS];
    private long[] positions = new long[INITIAL_SLOTS];
    private int[] lengths = new int[INITIAL_SLOTS];
    private short[] sources = new short[INITIAL_SLOTS];
    private int size;

    public void put(String customId, ResultRef ref) {
        if (size * 2 >= keys.length) {
            grow();
        }
        if (insert(Fingerprint.of(customId), ref.offset(), ref.length(), pack(ref.file(), ref.attempt()))) {
            size++;
        }
    }

    public ResultRef get(String customId) {
        int i = slot(Fingerprint.of(customId));
        return keys[i] == 0 ? null
                : new ResultRef(sources[i] >>> 8, positions[i], lengths[i], sources[i] & 0xff);
    }

    /** Empties the index for the next shard, keeping its arrays. */
    public void clear() {
        Arrays.fill(keys, 0);
        size = 0;
    }

    private static short pack(int file, int attempt) {
        if (file > 0x7f || attempt > 0xff) {
            throw new IllegalArgumentException("too many result files or attempts: " + file + ", " + attempt);
        }
        return (short) (file << 8 | attempt);
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** @return true when the key is new */
    private boolean insert(long key, long position, int length, short source) {
        int i = slot(key);
        boolean added = keys[i] == 0;
        keys[i] = key;
        positions[i] = position;
        lengths[i] = length;
        sources[i] = source;
        return added;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldPositions = positions;
        int[] oldLengths = lengths;
        short[] oldSources = sources;
        keys = new long[oldKeys.length * 2];
        positions = new long[keys.length];
        lengths = new int[keys.length];
        sources = new short[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldPositions[i], oldLengths[i], oldSources[i]);
            }
        }
    }
}
