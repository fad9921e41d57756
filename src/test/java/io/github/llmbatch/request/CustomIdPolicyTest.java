package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomIdPolicyTest {

    @Test
    void anyPassesEveryNonEmptyIdUnchanged() {
        for (String id : new String[] {"a", "with space", "ü/ß?#", "x".repeat(500), "x-abc"}) {
            assertTrue(CustomIdPolicy.ANY.accepts(id));
            assertEquals(id, CustomIdPolicy.ANY.customIdFor(id));
        }
        assertFalse(CustomIdPolicy.ANY.accepts(""));
    }

    @Test
    void safe64ReplacesIdsOutsideItsPatternWithAStableDerivedOne() {
        String ok = "Ab_-09" + "z".repeat(58); // 64 characters
        assertEquals(ok, CustomIdPolicy.SAFE_64.customIdFor(ok));
        for (String id : new String[] {ok + "z", "has space", "ü", "a.b", "", "a\n"}) {
            assertFalse(CustomIdPolicy.SAFE_64.accepts(id), id);
            String derived = CustomIdPolicy.SAFE_64.customIdFor(id);
            assertTrue(derived.matches("x-[0-9a-f]{32}"), derived);
            assertTrue(derived.matches("[a-zA-Z0-9_-]{1,64}"), "fits Anthropic's pattern: " + derived);
            assertEquals(derived, CustomIdPolicy.SAFE_64.customIdFor(id), "deterministic");
        }
        assertNotEquals(CustomIdPolicy.SAFE_64.customIdFor("a b"), CustomIdPolicy.SAFE_64.customIdFor("a  b"));
        // SHA-256("") starts with e3b0c442 98fc1c14 9afbf4c8 996fb924
        assertEquals("x-e3b0c44298fc1c149afbf4c8996fb924", CustomIdPolicy.SAFE_64.customIdFor(""));
    }

    @Test
    void safe64DerivesIdsShapedLikeDerivedOnesSoARecordNeverTakesAnothersDerivedId() {
        String derivedOfEmpty = "x-e3b0c44298fc1c149afbf4c8996fb924";
        assertFalse(CustomIdPolicy.SAFE_64.accepts(derivedOfEmpty));
        String sent = CustomIdPolicy.SAFE_64.customIdFor(derivedOfEmpty);
        assertNotEquals(derivedOfEmpty, sent);
        assertNotEquals(CustomIdPolicy.SAFE_64.customIdFor(""), sent);
        assertTrue(sent.matches("x-[0-9a-f]{32}"), sent);
        // near misses are ordinary ids
        assertTrue(CustomIdPolicy.SAFE_64.accepts("x-E3B0C44298FC1C149AFBF4C8996FB924"));
        assertTrue(CustomIdPolicy.SAFE_64.accepts("x-e3b0c44298fc1c149afbf4c8996fb92"));
    }
}
