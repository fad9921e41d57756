package io.github.llmbatch.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook for crash tests: with {@code -Dllmbatch.test.haltAt=POINT[:N]} and
 * {@code -Dllmbatch.test.markerDir=DIR}, the N-th time (default 1st) the job reaches POINT it
 * writes {@code DIR/POINT} and blocks, so the test can {@code kill -9} the JVM at exactly that
 * point. Does nothing unless both properties are set.
 *
 * <p>It lives in the ledger package, the one every layer with something to lose may use, so
 * that a point can sit inside {@link LedgerStore} too.
 */
public final class CrashPoints {

    public static final String AFTER_UPLOAD = "after-upload";
    public static final String AFTER_CREATE = "after-create";
    public static final String MID_PREPARE = "mid-prepare";
    public static final String MID_POLL = "mid-poll";
    public static final String MID_DOWNLOAD = "mid-download";
    /** An ended batch's result files are downloaded and recorded; the save that sets it resolved, with its bill, is not done. */
    public static final String BEFORE_RESOLVED = "before-resolved";
    public static final String MID_MERGE = "mid-merge";
    /** A prepare chunk's lines are in the shard files; its checkpoint is not committed yet. */
    public static final String PREPARE_BEFORE_CHECKPOINT = "prepare-before-checkpoint";
    /** A merge chunk's records are in the output; its checkpoint is not committed yet. */
    public static final String MERGE_BEFORE_CHECKPOINT = "merge-before-checkpoint";
    /** Half of a new ledger is in the temporary file. */
    public static final String LEDGER_MID_WRITE = "ledger-mid-write";
    /** A new ledger is complete in the temporary file, not yet renamed over the old one. */
    public static final String LEDGER_BEFORE_RENAME = "ledger-before-rename";

    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();
    private static final String SPEC = System.getProperty("llmbatch.test.haltAt");
    private static final String DIR = System.getProperty("llmbatch.test.markerDir");
    private static final String POINT = SPEC == null ? null : SPEC.split(":")[0];

    private CrashPoints() {
    }

    public static void reach(String point) {
        if (DIR == null || !point.equals(POINT)) {
            return;
        }
        String[] parts = SPEC.split(":");
        int nth = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        if (REACHED.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() != nth) {
            return;
        }
        try {
            Files.writeString(Path.of(DIR).resolve(point), "pid " + ProcessHandle.current().pid());
            Thread.sleep(Long.MAX_VALUE);
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("crash point " + point + " interrupted", e);
        }
    }
}
