package io.github.llmbatch.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** One server's running state of a {@link FaultPlan}: which injections are used up. */
final class FaultInjector {

    /** What happens to one request line. */
    enum LineFault {
        NONE, HTTP_400, HTTP_500, HTTP_429, OVERLOADED, TIMEOUT, DROP, INVALID_OUTPUT
    }

    private final FaultPlan plan;
    private final Map<ApiRoute, Deque<int[]>> pendingHttp = new EnumMap<>(ApiRoute.class);
    private final Map<ApiRoute, Deque<int[]>> pendingLost = new EnumMap<>(ApiRoute.class);
    private final Map<LineFault, Set<String>> alreadyFailed = new EnumMap<>(LineFault.class);
    private final AtomicInteger outputDownloads = new AtomicInteger();

    FaultInjector(FaultPlan plan) {
        this.plan = plan;
        for (ApiRoute route : ApiRoute.values()) {
            pendingHttp.put(route, expand(plan.httpFaults(route)));
            pendingLost.put(route, expand(plan.lostResponses(route)));
        }
        for (LineFault fault : LineFault.values()) {
            alreadyFailed.put(fault, ConcurrentHashMap.newKeySet());
        }
    }

    FaultPlan plan() {
        return plan;
    }

    /** The status to answer this call with instead of serving it, or 0. */
    int nextHttpFault(ApiRoute route) {
        return poll(pendingHttp.get(route));
    }

    /** The status that replaces the answer of this (performed) call, or 0. */
    int nextLostResponse(ApiRoute route) {
        return poll(pendingLost.get(route));
    }

    /** Decides, and records, how this download of a batch output file is damaged (null: not at all). */
    OutputDamage nextOutputDamage() {
        int download = outputDownloads.incrementAndGet();
        if (download <= plan.corruptOutput()) {
            return OutputDamage.CORRUPT;
        }
        if (download <= plan.corruptOutput() + plan.truncateOutput()) {
            return OutputDamage.TRUNCATE;
        }
        return null;
    }

    /** Decides, and records, what happens when this custom_id runs now. */
    LineFault lineFault(String customId) {
        if (matches(plan.fail400(), customId)) {
            return LineFault.HTTP_400;
        }
        if (firstTime(plan.fail500(), LineFault.HTTP_500, customId)) {
            return LineFault.HTTP_500;
        }
        if (firstTime(plan.fail429(), LineFault.HTTP_429, customId)) {
            return LineFault.HTTP_429;
        }
        if (firstTime(plan.overloaded(), LineFault.OVERLOADED, customId)) {
            return LineFault.OVERLOADED;
        }
        if (firstTime(plan.timeout(), LineFault.TIMEOUT, customId)) {
            return LineFault.TIMEOUT;
        }
        if (firstTime(plan.drop(), LineFault.DROP, customId)) {
            return LineFault.DROP;
        }
        if (matches(plan.invalidOutput(), customId)) {
            return LineFault.INVALID_OUTPUT;
        }
        return LineFault.NONE;
    }

    private boolean firstTime(Pattern pattern, LineFault fault, String customId) {
        return matches(pattern, customId) && alreadyFailed.get(fault).add(customId);
    }

    private static boolean matches(Pattern pattern, String customId) {
        return pattern != null && customId != null && pattern.matcher(customId).matches();
    }

    // Each entry is {status, calls left}.
    private static Deque<int[]> expand(Iterable<FaultPlan.HttpFault> faults) {
        Deque<int[]> statuses = new ArrayDeque<>();
        for (FaultPlan.HttpFault fault : faults) {
            statuses.add(new int[] {fault.status(), fault.count()});
        }
        return statuses;
    }

    private static int poll(Deque<int[]> statuses) {
        synchronized (statuses) {
            int[] head = statuses.peek();
            if (head == null) {
                return 0;
            }
            if (--head[1] == 0) {
                statuses.poll();
            }
            return head[0];
        }
    }
}
