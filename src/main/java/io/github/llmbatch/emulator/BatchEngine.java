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
 * <p>The engine is the same for every protocol; a batch's {@link BatchFormat} says how its input is
 * validated and read and how its results are written (OpenAI: output and error files; Gemini: one
 * responses file, Gemini's states being a view of these, see {@link GeminiBatchJson}).
 *
 * <p>Processing streams the input file and writes the output and error files as it goes, so memory
 * does not grow with the file. A batch cancelled while {@code validating} ends {@code cancelled} with
 * no result files and zero counts; one cancelled later keeps the results of the lines that already ran
 * and gets a {@code batch_cancelled} line for each of the others.
 */
final class BatchEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BatchEngine.class.getName());
    private static final int THREADS = 16;

    private final FaultInjector faults;
    private final EmulatorTimings timings;
    private final EmulatorLimits limits;
    private final LiveStats stats;
    private final ScheduledExecutorService scheduler;

    BatchEngine(FaultInjector faults, EmulatorTimings timings, EmulatorLimits limits, LiveStats stats) {
        this.faults = faults;
        this.timings = timings;
        this.limits = limits;
        this.stats = stats;
        this.scheduler = Executors.newScheduledThreadPool(THREADS, daemonThreads("llm-batch-emulator-scheduler-"));
    }

    /** Starts the life-cycle of a batch just created (status {@code validating}) on its input file. */
    void submit(EmulatedBatch batch, Path input) {
        schedule(batch, () -> validate(batch, input), timings.validatingMs());
    }

    /** Reacts to a cancel accepted while the batch had status {@code statusBefore}. */
    void cancelled(EmulatedBatch batch, String statusBefore) {
        if (statusBefore.equals("validating")) {
            schedule(batch, () -> batch.cancelled(null, null), timings.cancellingMs());
        }
        // in_progress: the processing loop notices; finalizing: the finalize step ends it cancelled
    }

    private void validate(EmulatedBatch batch, Path input) throws IOException {
        if (!batch.status().equals("validating")) {
            return;
        }
        InputValidator.Result result;
        try {
            result = batch.format().validate(batch, input, limits);
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

    private void process(EmulatedBatch batch, Path input, long requests) throws IOException,
            InterruptedException {
        FaultPlan plan = faults.plan();
        BatchFormat format = batch.format();
        boolean allFail = plan.failsAll(batch.ordinal());
        // a protocol whose expired batches keep no results expires before running anything, so no request
        // is paid for that the client never sees
        long expireAfter = !plan.expires(batch.ordinal()) || !format.expires() ? -1
                : format.keepsUnfinishedResults() ? requests / 2 : 0;
        long seed = batch.id().hashCode();
        Path outputPath = format.newResultFile(batch.id() + "_output");
        Path errorPath = format.separateErrorFile() ? format.newResultFile(batch.id() + "_error") : null;
        boolean cancelled = false;
        boolean expired = false;
        long started = System.nanoTime();
        boolean shuffle = plan.shuffle() && batch.resultsMayBeShuffled();
        try (JsonlLineReader lines = new JsonlLineReader(input);
             ResultFileWriter output = new ResultFileWriter(outputPath, shuffle ? new Random(seed) : null);
             ResultFileWriter errorFile = errorPath == null ? null
                     : new ResultFileWriter(errorPath, shuffle ? new Random(~seed) : null)) {
            ResultFileWriter errors = errorFile == null ? output : errorFile;
            long index = 0;
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                RequestLine line;
                try {
                    line = format.parse(batch, lines.bytes(), lines.length());
                } catch (RequestLineParser.NotJsonObjectException e) {
                    throw new IOException("input file changed after validation", e);
                }
                if (!cancelled) {
                    // spread the lines over the in-progress time; a cancel ends the wait at once
                    long dueMs = timings.inProgressMs() * index / Math.max(1, requests);
                    cancelled = batch.awaitCancel(dueMs - elapsedMs(started));
                }
                if (cancelled) {
                    errors.add(format.notExecutedLine(line, "batch_cancelled",
                            "The batch was cancelled before this request could be executed."));
                    batch.countFailed();
                } else if (expireAfter >= 0 && index >= expireAfter) {
                    expired = true;
                    errors.add(format.notExecutedLine(line, "batch_expired",
                            "The batch expired before this request could be executed."));
                    batch.countFailed();
                } else {
                    run(batch, format, line, allFail, output, errors);
                }
                index++;
            }
            if (!cancelled && !expired) {
                cancelled = batch.awaitCancel(timings.inProgressMs() - elapsedMs(started));
            }
        }
        boolean keep = format.keepsUnfinishedResults();
        if (cancelled) {
            schedule(batch, () -> batch.cancelled(register(batch, outputPath, "output", keep),
                    register(batch, errorPath, "error", keep)), timings.cancellingMs());
        } else if (expired) {
            batch.expire(register(batch, outputPath, "output", keep), register(batch, errorPath, "error", keep));
        } else if (batch.startFinalizing()) {
            schedule(batch, () -> batch.finish(register(batch, outputPath, "output", true),
                    register(batch, errorPath, "error", true)), timings.finalizingMs());
        } else {
            // a cancel arrived after the last line ran: every result is there
            schedule(batch, () -> batch.cancelled(register(batch, outputPath, "output", keep),
                    register(batch, errorPath, "error", keep)), timings.cancellingMs());
        }
    }

    private void run(EmulatedBatch batch, BatchFormat format, RequestLine line, boolean allFail,
                     ResultFileWriter output, ResultFileWriter errors) throws IOException {
        FaultInjector.LineFault fault = allFail ? FaultInjector.LineFault.HTTP_500 : faults.lineFault(line.customId());
        if (fault == FaultInjector.LineFault.TIMEOUT) {
            errors.add(format.notExecutedLine(line, "request_timeout", "The request timed out."));
            batch.countFailed();
            return;
        }
        stats.requestProcessed();
        Responder.Reply reply = switch (fault) {
            case HTTP_400, HTTP_500, HTTP_429, OVERLOADED -> format.injectedFailure(fault);
            case DROP -> null;
            case INVALID_OUTPUT -> format.answer(batch, line.withBrokenAnswer());
            default -> format.answer(batch, line);
        };
        if (reply == null) {
            batch.countSucceeded(0, 0, 0); // a dropped line is claimed done but written nowhere
            return;
        }
        byte[] result = format.executedLine(line, reply);
        if (reply.status() == 200) {
            output.add(result);
            batch.countSucceeded(reply.inputTokens(), reply.outputTokens(), reply.cachedInputTokens());
        } else {
            errors.add(result);
            batch.countFailed();
        }
    }

    /** How the name of a batch's output file (not its error file) ends. */
    static final String OUTPUT_SUFFIX = "_output.jsonl";

    /**
     * Files a written result file under a new id; one not {@code kept}, or an empty one (except an error
     * file of a format that {@linkplain BatchFormat#keepsEmptyErrorFile keeps it}), is deleted and gives
     * null (as does a file never opened).
     */
    private String register(EmulatedBatch batch, Path written, String kind, boolean kept) throws IOException {
        if (written == null) {
            return null;
        }
        boolean keepEmpty = kind.equals("error") && batch.format().keepsEmptyErrorFile();
        if (!kept || Files.size(written) == 0 && !keepEmpty) {
            Files.delete(written);
            return null;
        }
        return batch.format().registerResults(batch, written, kind);
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
