package io.github.llmbatch.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before anything is uploaded and paid for, that the output file can be written: its
 * directory is created if missing and a probe file is created in it and deleted. Without this a
 * read-only output location shows only at merge, after the provider has done (and billed) the work.
 */
public final class OutputProbe {

    private OutputProbe() {
    }

    /** @throws IOException naming the output and the reason when it cannot be written there */
    public static void requireWritable(Path output) throws IOException {
        Path absolute = output.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IOException("output " + absolute + " is a directory; name a file");
        }
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("output " + absolute + ": its directory " + dir + " cannot be created: "
                    + describe(e), e);
        }
        try {
            Path probe = Files.createTempFile(dir, ".llm-batch-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("output " + absolute + ": its directory " + dir + " is not writable: "
                    + describe(e), e);
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw new IOException("output " + absolute + " exists and is not writable");
        }
    }

    // the JDK's file exceptions put the path first and the reason (if any) after it
    private static String describe(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
