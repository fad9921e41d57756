package io.github.llmbatch.emulator;

/**
 * How long an emulated batch stays in each state.
 *
 * <p>{@code inProgressMs} is a minimum: the request lines are spread evenly over it (the first line
 * runs at once, the last one at the end), so a batch with a long in-progress time shows its
 * {@code request_counts} rising and can be cancelled half-way. Processing a big file may take longer.
 *
 * @param validatingMs  time from create until validation of the input file
 * @param inProgressMs  minimum time in {@code in_progress}
 * @param finalizingMs  time in {@code finalizing} before {@code completed}
 * @param cancellingMs  time in {@code cancelling} before {@code cancelled}
 */
public record EmulatorTimings(long validatingMs, long inProgressMs, long finalizingMs, long cancellingMs) {

    public EmulatorTimings {
        requireNonNegative("validatingMs", validatingMs);
        requireNonNegative("inProgressMs", inProgressMs);
        requireNonNegative("finalizingMs", finalizingMs);
        requireNonNegative("cancellingMs", cancellingMs);
    }

    /** 200 ms validating, 300 ms in progress, 100 ms finalizing, 100 ms cancelling. */
    public static EmulatorTimings defaults() {
        return new EmulatorTimings(200, 300, 100, 100);
    }

    public EmulatorTimings withValidatingMs(long ms) {
        return new EmulatorTimings(ms, inProgressMs, finalizingMs, cancellingMs);
    }

    public EmulatorTimings withInProgressMs(long ms) {
        return new EmulatorTimings(validatingMs, ms, finalizingMs, cancellingMs);
    }

    public EmulatorTimings withFinalizingMs(long ms) {
        return new EmulatorTimings(validatingMs, inProgressMs, ms, cancellingMs);
    }

    public EmulatorTimings withCancellingMs(long ms) {
        return new EmulatorTimings(validatingMs, inProgressMs, finalizingMs, ms);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
