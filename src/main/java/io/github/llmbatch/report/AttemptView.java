package io.github.llmbatch.report;

import io.github.llmbatch.cost.ModelPrice;
import io.github.llmbatch.cost.Tokens;
import io.github.llmbatch.ledger.Ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One attempt as the report shows it: the ledger's fields, its times parsed (null where the ledger
 * has none: older ledgers, or not reached yet) and its batch cost.
 *
 * @param started  when its upload (or, with nothing to upload, its create) began
 * @param billed   null until resolved (or in ledgers written before the bill)
 * @param batchUsd the billed tokens at batch prices; null when not priced or nothing billed yet
 */
record AttemptView(int shard, int attempt, String batchId, String status, long requests, long completed,
                   long failed, long retried, boolean resolved, Instant started, Instant created, Instant ended,
                   Instant resolvedAt, Ledger.Usage billed, BigDecimal batchUsd) {

    /** @param price null when the model is not priced */
    static AttemptView of(Ledger.Attempt a, ModelPrice price) {
        Instant started = instant(a.uploadStartedAt);
        if (started == null) {
            started = instant(a.createStartedAt);
        }
        BigDecimal usd = price == null || a.billed == null ? null
                : price.batchUsd(new Tokens(a.billed.inputTokens, a.billed.cachedInputTokens, a.billed.outputTokens));
        return new AttemptView(a.shard, a.attempt, a.batchId, a.status == null ? "not created" : a.status, a.requests,
                a.completed, a.failed, a.retried, a.resolved, started, instant(a.createdAt), instant(a.endedAt),
                instant(a.resolvedAt), a.billed, usd);
    }

    /** Requests this attempt settled for good (the rest went into the next attempt). */
    long settled() {
        return resolved ? requests - retried : 0;
    }

    /** From batch created to batch ended, as the provider ran it; null without both times. */
    Duration atProvider() {
        return between(created, ended);
    }

    /** From the start of its upload to its results resolved; null without both times. */
    Duration total() {
        return between(started, resolvedAt);
    }

    private static Duration between(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to);
    }

    /** A ledger time, or null where it is missing or not a time (the ledger is read, never trusted). */
    static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
