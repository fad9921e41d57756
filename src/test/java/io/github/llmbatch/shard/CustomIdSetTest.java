package io.github.llmbatch.shard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomIdSetTest {

    @Test
    void refusesEveryRepeatAcrossManyGrowths() {
        CustomIdSet set = new CustomIdSet();
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
    void idsDifferingOnlyInCaseOrUnicodeAreDifferent() {
        CustomIdSet set = new CustomIdSet();
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
            assertNotEquals(0L, CustomIdSet.fingerprint(Integer.toString(i)));
        }
    }
}
