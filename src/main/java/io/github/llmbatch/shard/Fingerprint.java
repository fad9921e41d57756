package io.github.llmbatch.shard;

import java.nio.charset.StandardCharsets;

/** A 64-bit fingerprint of an id, never 0 (tables use 0 for an empty slot). */
public final class Fingerprint {

    private Fingerprint() {
    }

    // FNV-1a over the UTF-8 bytes, then a murmur3 finaliser to spread the bits.
    public static long of(String id) {
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
        return h == 0 ? 1 : h;
    }
}
