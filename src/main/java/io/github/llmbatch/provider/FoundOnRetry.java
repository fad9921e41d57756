package io.github.llmbatch.provider;

import java.io.IOException;

/**
 * Leaves {@link HttpTransport}'s retry loop when a retried call that makes something (an upload, a
 * batch) finds that an earlier try made it and only its answer was lost: the caller returns what
 * was found instead of making a second, paid copy.
 */
public final class FoundOnRetry extends IOException {

    private final transient Object found;

    /** @param what names what was found, for the message: {@code batch msgbatch_01}, {@code file file-abc} */
    public FoundOnRetry(String what, Object found) {
        super(what + " already exists");
        this.found = found;
    }

    public <T> T found(Class<T> type) {
        return type.cast(found);
    }
}
