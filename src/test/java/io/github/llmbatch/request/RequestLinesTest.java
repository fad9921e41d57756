package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLinesTest {

    @Test
    void theIdIsFoundWhereverItIsAtTheTopLevel() {
        byte[] late = "{\"method\":\"POST\",\"body\":{\"custom_id\":\"inner\"},\"custom_id\":\"outer\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("outer", RequestLines.idOf(late, 0, late.length, "custom_id"));
        byte[] gemini = "{\"key\":\"k-1\",\"request\":{\"contents\":[]}}".getBytes(StandardCharsets.UTF_8);
        assertEquals("k-1", RequestLines.idOf(gemini, 0, gemini.length, "key"));
        for (String bad : List.of("[]", "{\"a\":1}", "{\"custom_id\":", "")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IllegalArgumentException.class, () -> RequestLines.idOf(b, 0, b.length, "custom_id"), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestLines.idOf(gemini, 0, gemini.length, "custom_id"));
        assertTrue(e.getMessage().contains("custom_id"), e.getMessage());
    }
}
