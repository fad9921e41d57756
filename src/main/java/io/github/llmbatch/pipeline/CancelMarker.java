package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.InstancePaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A request to cancel a job instance, as a file in its work directory: written by whoever asks
 * (without the instance lock, which a running execution holds), seen by the execution that runs the
 * instance, and deleted by whoever carries the cancel out under the lock. A file, so the request
 * survives the asker and reaches an execution in another process.
 */
public final class CancelMarker {

    public static final String FILE_NAME = "cancel-requested";

    private CancelMarker() {
    }

    public static Path file(InstancePaths paths) {
        return paths.dir().resolve(FILE_NAME);
    }

    public static boolean isRequested(InstancePaths paths) {
        return Files.exists(file(paths));
    }

    /** Writes the request durably; {@code who} says who asked (no secrets). */
    public static void request(InstancePaths paths, String who) {
        Path file = file(paths);
        try {
            Files.createDirectories(paths.dir());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap((who + " at " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cancel request " + file, e);
        }
    }

    /** The cancel is carried out and recorded in the ledger: the request is answered. */
    public static void clear(InstancePaths paths) {
        try {
            Files.deleteIfExists(file(paths));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the cancel request " + file(paths), e);
        }
    }
}
