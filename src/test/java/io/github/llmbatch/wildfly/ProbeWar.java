package io.github.llmbatch.wildfly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Builds a throwaway copy of the application WAR with the test-only job {@code wildfly-probe}
 * ({@link ProbeBatchlet}) added, so the server side can be checked without touching the real
 * job. The copy keeps the WAR's file name, hence its context root.
 */
final class ProbeWar {

    static final String JOB_NAME = "wildfly-probe";
    private static final String JOB_XML = "wildfly/" + JOB_NAME + ".xml";

    private ProbeWar() {
    }

    /** Copies {@code war} into {@code directory} (same file name) with the probe job added. */
    static Path build(Path war, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path copy = directory.resolve(war.getFileName());
        String batchletEntry = "WEB-INF/classes/" + ProbeBatchlet.class.getName().replace('.', '/') + ".class";
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            addResource(out, batchletEntry, "/" + ProbeBatchlet.class.getName().replace('.', '/') + ".class");
            addResource(out, "WEB-INF/classes/META-INF/batch-jobs/" + JOB_NAME + ".xml", "/" + JOB_XML);
        }
        return copy;
    }

    private static void addResource(ZipOutputStream out, String entryName, String resource) throws IOException {
        try (InputStream in = ProbeWar.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource missing: " + resource);
            }
            out.putNextEntry(new ZipEntry(entryName));
            in.transferTo((OutputStream) out);
            out.closeEntry();
        }
    }
}
