package io.github.llmbatch.emulator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives batches through their life-cycle on a small pool of scheduler threads:
 * {@code validating → in_progress → finalizing → completed}, or {@code failed}, {@code expired},
 * {@code cancelling → cancelled}, as timings, input and fault plan say.
 *
 * <p>Processing streams the input file and writes the output and error files as it goes, so memory
 * does not grow with the file. A batch cancelled while {@code validating} ends {@code cancelled} with
 * no result files and zero counts; one cancelled later keeps the results of the lines that already ran
 * and gets a {@code batch_cancelled} line for each of the others.
 */
final class BatchEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BatchEngine.class.getName());
    private static final int THREADS = 16;

    private final FileStore files;
    private final FaultInjector faults;
    private final EmulatorTimings timings;
    private final EmulatorLimits limits;
    private final LiveStats stats;
    private final ScheduledExecutorService scheduler;

    BatchEngine(FileStore files, FaultInjector faults, EmulatorTimings timings, EmulatorLimits limits,
                LiveStats stats) {
        this.files = files;
        this.faults = faults;
        this.timings = timings;
        this.limits = limits;
        this.stats = stats;
        this.scheduler = Executors.newScheduledThreadPool(THREADS, daemonThreads("llm-batch-emulator-scheduler-"));
    }

    /** Starts the life-cycle of a batch just created (status {@code validating}). */
    void submit(EmulatedBatch batch, StoredFile input) {
        schedule(batch, () -> validate(batch, input), timings.validatingMs());
    }

    /** Reacts to a cancel accepted while the batch had status {@code statusBefore}. */
    void cancelled(EmulatedBatch batch, String statusBefore) {
        if (statusBefore.equals("validating")) {
            schedule(batch, () -> batch.cancelled(null, null), timings.cancellingMs());
        }
        // in_progress: the processing loop notices; finalizing: the finalize step ends it cancelled
    }

    private void validate(EmulatedBatch batch, StoredFile input) throws IOException {
        if (!batch.status().equals("validating")) {
            return;
        }
        InputValidator.Result result;
        try {
            result = InputValidator.validate(input.path(), batch.endpoint(), limits);
        } catch (NoSuchFileException e) {
            batch.fail(List.of(new BatchErrorEntry("invalid_request",
                    "The input file was deleted before the batch was validated.", "input_file_id", null)), null);
            return;
        }
        if (!result.errors().isEmpty()) {
            batch.fail(result.errors(), result.model());
        } else if (faults.plan().exceedsTokenLimit(batch.ordinal())) {
            batch.fail(List.of(new BatchErrorEntry("token_limit_exceeded", "Enqueued token limit reached for "
                    + result.model() + " in organization org-emulated. Limit: 2,000,000 enqueued tokens. Please try"
                    + " again once some in_progress batches have been completed.", null, null)), result.model());
        } else if (batch.startProgress(result.requests(), result.model())) {
            scheduler.execute(() -> guarded(batch, () -> process(batch, input, result.requests())));
        }
    }

    private void process(EmulatedBatch batch, StoredFile input, long requests) throws IOException,
            InterruptedException {
        FaultPlan plan = faults.plan();
        boolean allFail = plan.failsAll(batch.ordinal());
        long expireAfter = plan.expires(batch.ordinal()) ? requests / 2 : -1;
        long seed = batch.id().hashCode();
        Path outputPath = files.newTempFile(batch.id() + "_output");
        Path errorPath = files.newTempFile(batch.id() + "_error");
        boolean cancelled = false;
        boolean expired = false;
        long started = System.nanoTime();
        try (JsonlLineReader lines = new JsonlLineReader(input.path());
             ResultFileWriter output = new ResultFileWriter(outputPath, plan.shuffle() ? new Random(seed) : null);
             ResultFileWriter errors = new ResultFileWriter(errorPath, plan.shuffle() ? new Random(~seed) : null)) {
            long index = 0;
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                RequestLine line;
                try {
                    line = RequestLineParser.parse(lines.bytes(), 0, lines.length());
                } catch (RequestLineParser.NotJsonObjectException e) {
                    throw new IOException("input file changed after validation", e);
                }
                if (!cancelled) {
                    // spread the lines over the in-progress time; a cancel ends the wait at once
                    long dueMs = timings.inProgressMs() * index / Math.max(1, requests);
                    cancelled = batch.awaitCancel(dueMs - elapsedMs(started));
                }
                if (cancelled) {
                    errors.add(ResultLines.notExecuted(line.customId(), "batch_cancelled",
                            "The batch was cancelled before this request could be executed."));
                    batch.countFailed();
                } else if (expireAfter >= 0 && index >= expireAfter) {
                    expired = true;
                    errors.add(ResultLines.notExecuted(line.customId(), "batch_expired",
                            "The batch expired before this request could be executed."));
                    batch.countFailed();
                } else {
                    run(batch, line, allFail, output, errors);
                }
                index++;
            }
            if (!cancelled && !expired) {
                cancelled = batch.awaitCancel(timings.inProgressMs() - elapsedMs(started));
            }
        }
        if (cancelled) {
            schedule(batch, () -> batch.cancelled(register(batch, outputPath, "output"),
                    register(batch, errorPath, "error")), timings.cancellingMs());
        } else if (expired) {
            batch.expire(register(batch, outputPath, "output"), register(batch, errorPath, "error"));
        } else if (batch.startFinalizing()) {
            schedule(batch, () -> batch.finish(register(batch, outputPath, "output"),
                    register(batch, errorPath, "error")), timings.finalizingMs());
        } else {
            // a cancel arrived after the last line ran: every result is there
            schedule(batch, () -> batch.cancelled(register(batch, outputPath, "output"),
                    register(batch, errorPath, "error")), timings.cancellingMs());
        }
    }

    private void run(EmulatedBatch batch, RequestLine line, boolean allFail, ResultFileWriter output,
                     ResultFileWriter errors) throws IOException {
        FaultInjector.LineFault fault = allFail ? FaultInjector.LineFault.HTTP_500 : faults.lineFault(line.customId());
        if (fault == FaultInjector.LineFault.TIMEOUT) {
            errors.add(ResultLines.notExecuted(line.customId(), "request_timeout", "The request timed out."));
            batch.countFailed();
            return;
        }
        stats.requestProcessed();
        Responder.Reply reply = switch (fault) {
            case HTTP_400 -> Responder.error(400, "[emulated] This request was rejected by the fault plan (fail400).",
                    "invalid_request_error", null, null);
            case HTTP_500 -> Responder.error(500, "[emulated] The server had an error while processing your request.",
                    "server_error", null, null);
            case HTTP_429 -> Responder.error(429, "[emulated] Rate limit reached for requests.", "requests", null,
                    "rate_limit_exceeded");
            case DROP -> null;
            default -> Responder.answer(batch.endpoint(), line);
        };
        if (reply == null) {
            batch.countSucceeded(0, 0); // a dropped line is claimed done but written nowhere
            return;
        }
        byte[] result = ResultLines.executed(line.customId(), reply);
        if (reply.status() == 200) {
            output.add(result);
            batch.countSucceeded(reply.inputTokens(), reply.outputTokens());
        } else {
            errors.add(result);
            batch.countFailed();
        }
    }

    /** How the name of a batch's output file (not its error file) ends. */
    static final String OUTPUT_SUFFIX = "_output.jsonl";

    /** Files a written result file under a new id; an empty one is deleted and gives null. */
    private String register(EmulatedBatch batch, Path written, String kind) throws IOException {
        if (Files.size(written) == 0) {
            Files.delete(written);
            return null;
        }
        return files.register(written, batch.id() + "_" + kind + ".jsonl", "batch_output",
                batch.outputExpiresAfterSeconds()).id();
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** A step of a batch's life-cycle. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException, InterruptedException;
    }

    private void schedule(EmulatedBatch batch, Step step, long delayMs) {
        scheduler.schedule(() -> guarded(batch, step), delayMs, TimeUnit.MILLISECONDS);
    }

    private void guarded(EmulatedBatch batch, Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down
        } catch (Exception e) {
            if (scheduler.isShutdown()) {
                return;
            }
            LOG.log(Level.WARNING, "emulated batch " + batch.id() + " broke", e);
            batch.crash("[emulated] internal emulator error: " + e);
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
