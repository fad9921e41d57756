package io.github.llmbatch.shard;

import java.nio.charset.StandardCharsets;

/** A 64-bit fingerprint of an id, never 0 (tables use 0 for an empty slot). */
public final class Fingerprint {

    private Fingerprint() {
    }

    // FNV-1a over the UTF-8 bytes, then a murmur3 finaliser to spread the bits. Called once per
    // record in prepare and merge: an all-ASCII id (the usual case) is hashed from its chars,
    // which are its UTF-8 bytes, without encoding it into a new array first.
    public static long of(String id) {
        long h = 0xcbf29ce484222325L;
        int n = id.length();
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c >= 0x80) {
                return finish(utf8(id));
            }
            h ^= c;
            h *= 0x100000001b3L;
        }
        return finish(h);
    }

    private static long utf8(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
