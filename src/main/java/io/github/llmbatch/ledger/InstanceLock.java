package io.github.llmbatch.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two executions of one job instance from running at once: an OS file lock on the
 * instance's work directory. The OS releases it when the process dies, so a {@code kill -9}
 * never leaves a stale lock; JBeret's own restart of a STARTED execution does not check
 * whether the first process is still alive, this does.
 */
public final class InstanceLock implements AutoCloseable {

    public static final String FILE_NAME = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws InstanceBusyException when another execution (in this or another process) holds it
     */
    public static InstanceLock acquire(Path instanceDir, String holder) {
        return acquire(instanceDir.resolve(FILE_NAME), "job instance work directory " + instanceDir, holder);
    }

    /**
     * Locks {@code lockFile} (created if missing) for {@code holder}, who is written into it so that
     * a refused second holder can be told who has it.
     *
     * @param subject what the lock guards, for the refusal's message
     * @throws InstanceBusyException when another execution (in this or another process) holds it
     */
    public static InstanceLock acquire(Path lockFile, String subject, String holder) {
        FileChannel ch = null;
        try {
            Files.createDirectories(lockFile.toAbsolutePath().getParent());
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
                ch.close();
                throw new InstanceBusyException(subject + " is in use by another running execution"
                        + (owner.isEmpty() ? "" : " (" + owner + ")") + "; stop it first or wait for it to end");
            }
            ch.truncate(0);
            String owner = holder + ", pid " + ProcessHandle.current().pid() + " on "
                    + ManagementFactory.getRuntimeMXBean().getName();
            ch.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new InstanceLock(ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    /** Whether some execution holds the lock right now (used to refuse a restart early). */
    public static boolean isHeld(Path instanceDir) {
        if (!Files.isDirectory(instanceDir)) {
            return false;
        }
        try (InstanceLock ignored = acquire(instanceDir, "probe")) {
            return false;
        } catch (InstanceBusyException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Another execution runs this job instance. */
    public static final class InstanceBusyException extends IllegalStateException {
        public InstanceBusyException(String message) {
            super(message);
        }
    }
}
