package io.github.llmbatch.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running count of a job's input tokens in prepare. Tokenizing every request would cost
 * prepare several times its own time (jtokkit reads a few MB/s, prepare writes a hundred), so
 * the first {@value #COUNT_FIRST} requests (while they are under {@value #COUNT_FIRST_BYTES}
 * bytes) and then every {@value #SAMPLE_EVERY}th (from the {@value #SPARSE_AFTER}th on every
 * {@value #SPARSE_EVERY}th) are counted, and the others are extrapolated
 * from their size at the tokens per byte of the counted ones. A request line over
 * {@value #MAX_COUNTED_BYTES} bytes is never tokenized (seconds per MB, far beyond any context
 * window) but extrapolated too. Which requests are counted depends only on their order and the
 * tally, so a prepare resumed from a checkpoint ({@link Tally}) comes to the same total as one
 * that never stopped.
 *
 * <p>Which requests are counted is decided here, in order; the tokenizing itself may run on other
 * threads ({@link #InputTokenCount(Tokenizer, Tally, long, Executor)}), in any order, since the
 * tally is a sum; {@link #tally()} waits for it.
 */
public final class InputTokenCount {

    public static final int COUNT_FIRST = 1000;
    public static final int COUNT_FIRST_BYTES = 1 << 20;
    public static final int SAMPLE_EVERY = 128;
    /** From this request on only every {@value #SPARSE_EVERY}th is counted: a thousand samples more add nothing a user would see. */
    public static final int SPARSE_AFTER = 1000 * SAMPLE_EVERY;
    public static final int SPARSE_EVERY = 1024;
    public static final int MAX_COUNTED_BYTES = 1 << 20;
    /** Tokens per byte when no request could be counted (all of them too long): English runs about 4 bytes a token. */
    static final double FALLBACK_TOKENS_PER_BYTE = 0.25;

    private final Tokenizer tokenizer;
    private final Executor counter;
    // a RequestTokens is for one thread at a time: a count borrows one and gives it back
    private final ConcurrentLinkedQueue<RequestTokens> idle = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Long>> counting = new ArrayList<>();
    private final LongAdder countingNanos = new LongAdder();
    private long countedTokens;
    private long countedBytes;
    private long uncountedBytes;
    private long requests;

    /**
     * @param resume the tally at the checkpoint prepare resumes from
     * @param requests the requests counted (or extrapolated) up to it
     */
    public InputTokenCount(Tokenizer tokenizer, Tally resume, long requests) {
        this(tokenizer, resume, requests, Runnable::run);
    }

    /** @param counter runs the tokenizing, beside the caller's work */
    public InputTokenCount(Tokenizer tokenizer, Tally resume, long requests, Executor counter) {
        this.tokenizer = tokenizer;
        this.counter = counter;
        this.countedTokens = resume.countedTokens();
        this.countedBytes = resume.countedBytes();
        this.uncountedBytes = resume.uncountedBytes();
        this.requests = requests;
    }

    /** Adds the next request, in the order they are written; the line must not change afterwards. */
    public void add(byte[] requestLine) {
        long ordinal = requests++;
        boolean sampled = ordinal < COUNT_FIRST && countedBytes < COUNT_FIRST_BYTES
                || ordinal % (ordinal < SPARSE_AFTER ? SAMPLE_EVERY : SPARSE_EVERY) == 0;
        if (sampled && requestLine.length <= MAX_COUNTED_BYTES) {
            countedBytes += requestLine.length;
            // queued behind the encoding's loading, so no counter thread sits waiting for it
            counting.add(tokenizer.loaded().thenApplyAsync(encoding -> count(requestLine), counter));
        } else {
            uncountedBytes += requestLine.length;
        }
    }

    private long count(byte[] requestLine) {
        long start = System.nanoTime();
        RequestTokens tokens = idle.poll();
        if (tokens == null) {
            tokens = new RequestTokens(tokenizer);
        }
        try {
            return tokens.count(requestLine, 0, requestLine.length);
        } finally {
            idle.offer(tokens);
            countingNanos.add(System.nanoTime() - start);
        }
    }

    /** The tally of every request added so far; waits for their counting. */
    public Tally tally() {
        try {
            for (CompletableFuture<Long> n : counting) {
                countedTokens += n.join();
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            counting.clear();
        }
        return new Tally(countedTokens, countedBytes, uncountedBytes);
    }

    /** True when every request was counted with the model's own encoding. */
    public boolean exact() {
        return tokenizer.exact() && uncountedBytes == 0;
    }

    /** Time spent tokenizing in this JVM, summed over the threads it ran on: for the benchmark's share of prepare. */
    public long countingNanos() {
        tally();
        return countingNanos.sum();
    }

    /**
     * The counted requests' tokens and bytes and the others' bytes: all a resumed count needs.
     */
    public record Tally(long countedTokens, long countedBytes, long uncountedBytes) {

        public static final Tally NONE = new Tally(0, 0, 0);

        /** The counted tokens plus the uncounted requests' bytes at the counted ones' tokens per byte. */
        public long total() {
            if (uncountedBytes == 0) {
                return countedTokens;
            }
            double perByte = countedBytes == 0 ? FALLBACK_TOKENS_PER_BYTE : (double) countedTokens / countedBytes;
            return countedTokens + Math.round(uncountedBytes * perByte);
        }
    }
}
