package io.github.llmbatch.provider;

/** Provider batch states mapped onto one life-cycle (OpenAI's, the richest of the three). */
public enum BatchState {
    VALIDATING(false),
    IN_PROGRESS(false),
    FINALIZING(false),
    CANCELLING(false),
    COMPLETED(true),
    FAILED(true),
    EXPIRED(true),
    CANCELLED(true);

    private final boolean terminal;

    BatchState(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the batch will change no more; its result files are then final. */
    public boolean terminal() {
        return terminal;
    }
}
