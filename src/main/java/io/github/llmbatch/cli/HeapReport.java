package io.github.llmbatch.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * With {@code LLM_BATCH_REPORT_HEAP=1}, prints {@code peak_heap_mb=N} to stderr when the JVM exits:
 * the sum of the heap pools' peak usage. The benchmark reads this exact line.
 */
final class HeapReport {

    static final String ENV = "LLM_BATCH_REPORT_HEAP";

    private HeapReport() {
    }

    static void installIfRequested() {
        if ("1".equals(System.getenv(ENV))) {
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> System.err.println(line(peakHeapBytes())), "llm-batch-heap-report"));
        }
    }

    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage peak = pool.getType() == MemoryType.HEAP ? pool.getPeakUsage() : null;
            if (peak != null) {
                sum += peak.getUsed();
            }
        }
        return sum;
    }

    static String line(long bytes) {
        return "peak_heap_mb=" + Math.round(bytes / (1024.0 * 1024.0));
    }
}
