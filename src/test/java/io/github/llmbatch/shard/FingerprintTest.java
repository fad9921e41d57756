package io.github.llmbatch.shard;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FingerprintTest {

    // the definition: FNV-1a over the id's UTF-8 bytes, then the murmur3 finaliser
    private static long overUtf8Bytes(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
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

    @Test
    void asciiAndNonAsciiIdsHashTheirUtf8Bytes() {
        for (String id : new String[] {"", "a", "rev-000123", "ab\u00e7", "\u00e7abc", "id-\u4e2d\u6587",
                "x\ud83d\ude00y", "tab\tand\"quote", "\u007f\u0080"}) {
            assertEquals(overUtf8Bytes(id), Fingerprint.of(id), id);
        }
    }
}
