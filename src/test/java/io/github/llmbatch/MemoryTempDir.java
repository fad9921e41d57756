package io.github.llmbatch;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code @TempDir(factory = MemoryTempDir.class)}: a temporary directory on {@code /dev/shm} where
 * there is one. The restart-safety tests sync (fsync) after every checkpoint and every shard; on a
 * shared disk that alone takes seconds, on tmpfs nothing. The file contents are the same either way.
 */
public final class MemoryTempDir implements TempDirFactory {

    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            return Files.createTempDirectory(SHM, "llm-batch-test-");
        }
        return Files.createTempDirectory("llm-batch-test-");
    }
}
