package io.github.llmbatch.ledger;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads and replaces the ledger file atomically: write a temporary sibling, fsync it, rename it
 * over the old one, fsync the directory. A crash leaves either the old or the new document.
 */
public final class LedgerStore {

    public static final String FILE_NAME = "ledger.json";

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withFormatting(true));

    private final Path file;

    public LedgerStore(Path instanceDir) {
        this.file = instanceDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public Optional<Ledger> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSONB.fromJson(Files.readString(file), Ledger.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger " + file, e);
        }
    }

    public Ledger readOrCreate(long jobInstanceId) {
        return read().orElseGet(() -> {
            Ledger ledger = new Ledger();
            ledger.jobInstanceId = jobInstanceId;
            ledger.runId = java.util.UUID.randomUUID().toString().substring(0, 8);
            return ledger;
        });
    }

    public synchronized void write(Ledger ledger) {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        byte[] bytes = JSONB.toJson(ledger).getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(bytes, 0, bytes.length / 2));
                CrashPoints.reach(CrashPoints.LEDGER_MID_WRITE);
                writeFully(ch, ByteBuffer.wrap(bytes, bytes.length / 2, bytes.length - bytes.length / 2));
                ch.force(true);
            }
            CrashPoints.reach(CrashPoints.LEDGER_BEFORE_RENAME);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ledger " + file, e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes a rename durable; some file systems do not allow opening a directory, which is fine. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
