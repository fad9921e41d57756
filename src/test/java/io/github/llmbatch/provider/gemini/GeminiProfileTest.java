package io.github.llmbatch.provider.gemini;

import io.github.llmbatch.provider.BatchError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiProfileTest {

    private final GeminiProfile profile = new GeminiProfile();

    @Test
    void onlyABatchRefusedForItsQuotaIsCreatedAgain() {
        assertTrue(profile.isTemporaryRefusal(List.of(new BatchError("RESOURCE_EXHAUSTED", "quota", null))));
        assertFalse(profile.isTemporaryRefusal(List.of(new BatchError("INVALID_ARGUMENT", "bad file", null))));
        assertFalse(profile.isTemporaryRefusal(List.of(new BatchError("INTERNAL", "x", null))));
        assertFalse(profile.isTemporaryRefusal(List.of()));
    }
}
