package io.github.llmbatch.shard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The SHA-256 of bytes as a file is written, computed on another thread so the writing thread
 * does not wait for it: each buffer-full is digested after the one before, in order, on the
 * executor. A buffer must not change once added.
 */
final class OrderedDigest {

    private final Sha256 digest;
    private final Executor executor;
    private CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

    /** @param start the digest so far (of a kept prefix); used by the executor from now on */
    OrderedDigest(Sha256 start, Executor executor) {
        this.digest = start;
        this.executor = executor;
    }

    void add(byte[] bytes, int offset, int length) {
        add(bytes, offset, length, () -> { });
    }

    /** @param digested runs once the bytes are digested: from then on the buffer may be reused */
    void add(byte[] bytes, int offset, int length, Runnable digested) {
        done = done.thenRunAsync(() -> {
            digest.update(bytes, offset, length);
            digested.run();
        }, executor);
    }

    /** The hex digest of everything added; waits for it. */
    String hex() {
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return digest.hex();
    }
}
