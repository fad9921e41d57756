package io.github.llmbatch.report;

import io.github.llmbatch.ledger.InstancePaths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Where the run report goes, and writing it so a reader never sees half a page. */
public final class ReportFile {

    static final String SUFFIX = ".report.html";

    private ReportFile() {
    }

    /** Beside an output file: {@code <output>.report.html}. */
    public static Path besideOutput(Path output) {
        return output.resolveSibling(output.getFileName() + SUFFIX);
    }

    /** For an output table, which has no directory of its own: in the instance's work directory. */
    public static Path forTable(InstancePaths paths, String table) {
        return paths.dir().resolve(table + SUFFIX);
    }

    /**
     * Writes the page atomically (temporary sibling, fsync, rename): a restart that writes it again
     * replaces it whole, and a crash leaves the old page or the new one.
     */
    public static void write(Path target, String html) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + target + ": " + e, e);
        }
    }
}
