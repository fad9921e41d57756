package io.github.llmbatch.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmallPartsTest {

    @Test
    void heapLineHasTheBenchmarksFormat() {
        assertEquals("peak_heap_mb=0", HeapReport.line(0));
        assertEquals("peak_heap_mb=2", HeapReport.line(2 * 1024 * 1024 + 1000));
        long usedBefore = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        byte[] held = new byte[32 << 20];
        long peak = HeapReport.peakHeapBytes();
        assertTrue(peak >= held.length, "the peak counts a 32 MB array still held: " + peak);
        assertTrue(peak >= usedBefore, "a peak is never below an earlier use: " + peak + " < " + usedBefore);
    }

    @Test
    void logLevelFromTheEnvironmentValue() {
        assertEquals(Level.FINE, CliLogging.level("fine"));
        assertEquals(Level.INFO, CliLogging.level(" INFO "));
        assertNull(CliLogging.level(null));
        assertNull(CliLogging.level(""));
        assertNull(CliLogging.level("loud"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonKeepsNullFieldsSoEveryDocumentedFieldIsThere() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CliJson.print(List.of(new ExecutionSummary(3, 2, "llm-batch", "STARTED", null, "2025-01-01T10:00:00Z", null)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (Jsonb jsonb = JsonbBuilder.create()) {
            List<Map<String, Object>> parsed = jsonb.fromJson(bytes.toString(StandardCharsets.UTF_8), List.class);
            Map<String, Object> first = parsed.get(0);
            for (String field : List.of("executionId", "instanceId", "jobName", "batchStatus", "exitStatus",
                    "startTime", "endTime")) {
                assertTrue(first.containsKey(field), field);
            }
            assertEquals("llm-batch", first.get("jobName"));
            assertEquals(3, ((Number) first.get("executionId")).intValue());
            assertNull(first.get("endTime"));
        }
    }
}
