package io.github.llmbatch.shard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomIdSetTest {

    @TempDir
    Path dir;

    @Test
    void refusesEveryRepeatAcrossManyGrowths() throws Exception {
        CustomIdSet set = new CustomIdSet(dir.resolve("ids.bin"));
        int n = 300_000; // the table starts at 65,536 slots, so it grows several times
        for (int i = 0; i < n; i++) {
            assertTrue(set.add("id-" + i), "first add of id-" + i);
        }
        assertEquals(n, set.size());
        for (int i = 0; i < n; i += 7) {
            assertFalse(set.add("id-" + i), "repeat of id-" + i);
        }
        assertEquals(n, set.size());
        assertTrue(set.add("id-" + n));
        assertEquals(n + 1, set.size());
    }

    @Test
    void idsDifferingOnlyInCaseOrUnicodeAreDifferent() throws Exception {
        CustomIdSet set = new CustomIdSet(dir.resolve("ids.bin"));
        assertTrue(set.add("abc"));
        assertTrue(set.add("ABC"));
        assertTrue(set.add("ab\u00e7"));
        assertTrue(set.add(""));
        assertFalse(set.add("ab\u00e7"));
        assertFalse(set.add(""));
        assertEquals(4, set.size());
    }

    @Test
    void fingerprintIsNeverTheEmptyMarker() {
        for (int i = 0; i < 100_000; i++) {
            assertNotEquals(0L, Fingerprint.of(Integer.toString(i)));
        }
    }

    @Test
    void theTableLivesInItsFileAndCloseRemovesIt() throws Exception {
        Path file = dir.resolve("ids.bin");
        CustomIdSet set = new CustomIdSet(file);
        for (int i = 0; i < 100_000; i++) {
            set.add("x" + i);
        }
        assertTrue(Files.size(file) >= 200_000L * Long.BYTES, "grown on disk: " + Files.size(file));
        set.close();
        assertFalse(Files.exists(file));
    }
}
