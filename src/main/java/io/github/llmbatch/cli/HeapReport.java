package io.github.llmbatch.cli;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * With {@code LLM_BATCH_REPORT_HEAP=1}, prints two lines to stderr when the JVM exits:
 * {@code peak_heap_mb=N}, the sum of the heap pools' peak usage (garbage included, so it follows
 * the collector's sizing as much as the program), and {@code peak_live_heap_mb=N}, the most heap
 * still in use right after a full collection (what the program really holds): those the run had,
 * and one more when it exits. After a young collection the old generation still holds whatever
 * was promoted and has died since, so the heap in use then says more about the collector than
 * about the program. The benchmark reads these exact lines.
 */
final class HeapReport {

    static final String ENV = "LLM_BATCH_REPORT_HEAP";

    private static final AtomicLong PEAK_LIVE = new AtomicLong();

    private HeapReport() {
    }

    static void installIfRequested() {
        if ("1".equals(System.getenv(ENV))) {
            watchCollections();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long peak = peakHeapBytes();
                System.gc(); // a run too short for a full collection still says what it holds at the end
                PEAK_LIVE.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                System.err.println(line(peak));
                System.err.println("peak_live_heap_mb=" + Math.round(PEAK_LIVE.get() / (1024.0 * 1024.0)));
            }, "llm-batch-heap-report"));
        }
    }

    private static void watchCollections() {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        if (!"end of major GC".equals(info.getGcAction())) {
                            return;
                        }
                        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                .filter(e -> heapPools.contains(e.getKey()))
                                .mapToLong(e -> e.getValue().getUsed()).sum();
                        PEAK_LIVE.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
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
