package io.github.llmbatch.pipeline;

import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.input.InputSource;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Prepares input records on worker threads, a block at a time, and hands them back one by one
 * in input order. Reading stays on the caller's thread (a source is not thread-safe, and a JDBC
 * one belongs to its connection); parsing, rendering and fingerprinting, most of prepare's
 * work, run on the workers while the caller writes what came before.
 *
 * <p>The checkpoint is the source's position after the last record handed back, never after a
 * record only prepared ahead: a restart prepares those again, so nothing is lost or doubled.
 * A source error is raised where it happened in the input, after the records before it.
 */
public final class ParallelPreparer implements Closeable {

    static final int BLOCK_RECORDS = 1024;
    static final int BLOCK_BYTES = 1 << 20;

    private final InputSource source;
    private final Supplier<RecordPreparer> newPreparer;
    private final Executor workers;
    private final int window;
    // a preparer is not thread-safe: a block borrows one and gives it back
    private final ConcurrentLinkedQueue<RecordPreparer> idle = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<CompletableFuture<Block>> ahead = new ArrayDeque<>();
    private Block current;
    private int next;
    private Serializable checkpoint;
    private IOException sourceFailure;
    private boolean sourceDone;

    /**
     * @param source      read from here, on the caller's thread; closed with this
     * @param newPreparer makes a preparer for a worker that has none free
     * @param workers     runs the blocks (several at once)
     * @param parallelism how many workers may be busy; blocks are read this far ahead and a little more
     */
    public ParallelPreparer(InputSource source, Supplier<RecordPreparer> newPreparer, Executor workers,
                            int parallelism) {
        this.source = source;
        this.newPreparer = newPreparer;
        this.workers = workers;
        this.window = Math.max(1, parallelism) * 2 + 1;
        this.checkpoint = source.checkpoint();
    }

    /**
     * The next record, prepared, or null after the last one.
     *
     * @throws IOException where the source failed, once the records before are handed back
     */
    public PreparedRecord next() throws IOException {
        while (current == null || next == current.size()) {
            current = null;
            readAhead();
            CompletableFuture<Block> oldest = ahead.poll();
            if (oldest == null) {
                if (sourceFailure != null) {
                    IOException failure = sourceFailure;
                    sourceFailure = null;
                    throw failure;
                }
                return null;
            }
            current = join(oldest);
            next = 0;
        }
        PreparedRecord record = current.records[next];
        checkpoint = current.positions[next];
        next++;
        return record;
    }

    /** The source position after the last record {@link #next()} returned. */
    public Serializable checkpoint() {
        return checkpoint;
    }

    private void readAhead() {
        while (ahead.size() < window && !sourceDone) {
            List<InputRecord> records = new ArrayList<>(BLOCK_RECORDS);
            List<Serializable> positions = new ArrayList<>(BLOCK_RECORDS);
            long bytes = 0;
            try {
                while (records.size() < BLOCK_RECORDS && bytes < BLOCK_BYTES) {
                    InputRecord record = source.next();
                    if (record == null) {
                        sourceDone = true;
                        break;
                    }
                    records.add(record);
                    positions.add(source.checkpoint());
                    bytes += record.length();
                }
            } catch (IOException e) {
                sourceFailure = e;
                sourceDone = true;
            }
            if (!records.isEmpty()) {
                ahead.add(CompletableFuture.supplyAsync(() -> prepare(records, positions), workers));
            }
        }
    }

    private Block prepare(List<InputRecord> records, List<Serializable> positions) {
        RecordPreparer preparer = idle.poll();
        if (preparer == null) {
            preparer = newPreparer.get();
        }
        try {
            FieldNameCollector names = new FieldNameCollector();
            PreparedRecord[] prepared = new PreparedRecord[records.size()];
            int[] runEnds = runEnds(records);
            for (int i = 0; i < prepared.length; i++) {
                names.startRecord();
                Prepared p = preparer.prepare(records.get(i), runEnds[i], names);
                prepared[i] = new PreparedRecord(p, names.takeNew(), p instanceof Prepared.Request r
                        ? r.requestLine().length + r.recordLine().length : ((Prepared.Reject) p).input().length());
            }
            return new Block(prepared, positions.toArray(Serializable[]::new));
        } finally {
            idle.offer(preparer);
        }
    }

    /**
     * Where each record's run ends: records that follow each other in one array, one line
     * terminator apart (as a JSONL source reads them), are parsed by one parser.
     */
    private static int[] runEnds(List<InputRecord> records) {
        int[] ends = new int[records.size()];
        for (int i = ends.length - 1; i >= 0; i--) {
            InputRecord r = records.get(i);
            int end = r.offset() + r.length();
            ends[i] = end;
            if (i + 1 < ends.length) {
                InputRecord after = records.get(i + 1);
                if (after.bytes() == r.bytes() && after.offset() == end + 1) {
                    ends[i] = ends[i + 1];
                }
            }
        }
        return ends;
    }

    private static Block join(CompletableFuture<Block> block) {
        try {
            return block.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Drops what was prepared ahead and closes the source. */
    @Override
    public void close() throws IOException {
        ahead.forEach(f -> f.cancel(false));
        ahead.clear();
        current = null;
        source.close();
    }

    /**
     * A prepared record and the record field names first seen with it (kept with the record so they
     * are checkpointed with it: the merged CSV's columns).
     *
     * @param bytes what it holds in memory until written: its request and records lines, or the reject's input
     */
    public record PreparedRecord(Prepared prepared, List<String> newFieldNames, int bytes) {
    }

    private record Block(PreparedRecord[] records, Serializable[] positions) {
        int size() {
            return records.length;
        }
    }
}
