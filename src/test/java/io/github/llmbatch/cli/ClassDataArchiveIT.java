package io.github.llmbatch.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The class-data archive {@code mvn package} puts in the distribution ({@code lib/llm-batch.jsa}):
 * the launcher hands it to the JVM, which maps classes from it; a copy of the distribution
 * elsewhere no longer matches it, and then runs the same, without it and without a word about it
 * (JDK 17 would print a CDS warning on stdout, where {@code --json} output goes).
 */
class ClassDataArchiveIT {

    private static final String FROM_ARCHIVE = "source: shared objects file (top)";

    @TempDir
    static Path tmp;

    private static Path dist;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void locate() {
        dist = Path.of(System.getProperty("llmbatch.dist", "target/llm-batch")).toAbsolutePath();
        assertTrue(Files.isExecutable(dist.resolve("bin/llm-batch")), "run `mvn package` first: " + dist);
        assumeTrue(Files.isRegularFile(dist.resolve("lib/llm-batch.jsa")),
                "no class-data archive in this build (-Dllmbatch.cds.skip=true, or not a Unix build)");
    }

    @Test
    void theLauncherRunsWithTheArchive() throws Exception {
        Path classes = tmp.resolve("with-archive.classes.log");

        Result help = help(dist, classes);

        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().startsWith("usage: llm-batch"), help::toString);
        assertEquals("", help.err(), help::toString);
        assertTrue(Files.readString(classes).contains(FROM_ARCHIVE), "classes mapped from lib/llm-batch.jsa");
    }

    @Test
    void aCopyElsewhereRunsTheSameWithoutTheArchiveAndSaysNothing() throws Exception {
        Path copy = tmp.resolve("copy/llm-batch");
        copyTree(dist, copy);
        Path classes = tmp.resolve("copy.classes.log");

        Result original = help(dist, tmp.resolve("original.classes.log"));
        Result copied = help(copy, classes);

        assertEquals(0, copied.exit(), copied::toString);
        assertEquals(original.out(), copied.out(), "the same help text, no CDS warning on stdout");
        assertEquals("", copied.err(), copied::toString);
        assertFalse(Files.readString(classes).contains(FROM_ARCHIVE),
                "the archive names the jars at their built paths, so the copy runs without it");
    }

    private static Result help(Path home, Path classLog) throws IOException, InterruptedException {
        // the class-loading log goes to a file, so that stdout is the command's alone
        return launch(home, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "help");
    }

    private static Result launch(Path home, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = Stream.concat(Stream.of(home.resolve("bin/llm-batch").toString()), Stream.of(args))
                .toList();
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("LLM_BATCH_REPOSITORY", "jdbc:h2:file:" + tmp.resolve("repository")
                + ";AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("llm-batch " + String.join(" ", args) + " did not end");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A plain copy: new paths and new modification times, as an installer's copy would have. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                    target.toFile().setExecutable(Files.isExecutable(source));
                }
            }
        }
    }
}
