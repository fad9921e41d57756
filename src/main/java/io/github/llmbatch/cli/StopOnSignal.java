package io.github.llmbatch.cli;

import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP during a foreground execution stop the job gracefully: the
 * job ends STOPPED at its last checkpoint and can be restarted. A second signal exits at once.
 *
 * <p>Signals are caught before the JVM begins to shut down on purpose: a plain shutdown hook would
 * race H2's own hook, which closes the job repository while the job is still writing its final
 * status. A shutdown hook remains as a fallback for other ways the JVM may end.
 */
final class StopOnSignal implements AutoCloseable {

    private static final String[] SIGNALS = {"INT", "TERM", "HUP"};
    private static final long FALLBACK_WAIT_MILLIS = 30_000;

    private final JobOperator operator;
    private final long executionId;
    private final PrintStream err;
    private final Runnable awaitEnd;
    private final AtomicInteger received = new AtomicInteger();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final Thread fallbackHook;

    private StopOnSignal(JobOperator operator, long executionId, PrintStream err, Runnable awaitEnd) {
        this.operator = operator;
        this.executionId = executionId;
        this.err = err;
        this.awaitEnd = awaitEnd;
        this.fallbackHook = new Thread(this::stopOnShutdown, "llm-batch-stop-on-exit");
    }

    /**
     * @param awaitEnd blocks until the execution has ended and its status is stored (bounded by the caller)
     */
    static StopOnSignal install(JobOperator operator, long executionId, PrintStream err, Runnable awaitEnd) {
        StopOnSignal stop = new StopOnSignal(operator, executionId, err, awaitEnd);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, stop::onSignal);
                if (old == SignalHandler.SIG_IGN) {
                    // Ignored when the JVM started (nohup, background shell job): keep it that way.
                    Signal.handle(signal, SignalHandler.SIG_IGN);
                } else {
                    stop.previous.put(signal, old);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not available here (e.g. -Xrs); the fallback hook still applies
            }
        }
        Runtime.getRuntime().addShutdownHook(stop.fallbackHook);
        return stop;
    }

    /** The signal number that stopped the execution, or 0. */
    int signalNumber() {
        return received.get();
    }

    private void onSignal(Signal signal) {
        if (!received.compareAndSet(0, signal.getNumber())) {
            err.println("llm-batch: exiting without waiting; execution " + executionId
                    + " stays STARTED until `llm-batch restart " + executionId + "` marks it FAILED and resumes it");
            err.flush();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        err.println("llm-batch: stopping execution " + executionId + " at its next checkpoint"
                + " (SIG" + signal.getName() + " again exits at once)");
        err.flush();
        requestStop();
    }

    private void requestStop() {
        try {
            operator.stop(executionId);
        } catch (JobExecutionNotRunningException | NoSuchJobExecutionException e) {
            // already ended
        }
    }

    private void stopOnShutdown() {
        if (received.get() != 0) {
            return;
        }
        requestStop();
        Thread waiter = new Thread(awaitEnd, "llm-batch-await-stop");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(FALLBACK_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        try {
            Runtime.getRuntime().removeShutdownHook(fallbackHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook sees the execution has ended
        }
    }
}
