package io.github.llmbatch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the packaged command {@code target/llm-batch/bin/llm-batch} as a real process, with its
 * own job repository (an H2 file in the test's directory) and output captured to a file.
 */
final class Dist {

    private static final Pattern STARTED = Pattern.compile("started execution (\\d+)");

    private final Path dir;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> wrapper = new ArrayList<>();
    private int runs;

    Dist(Path dir) {
        this.dir = dir;
        env.put("LLM_BATCH_REPOSITORY", repositoryUrl());
    }

    /** The test's own job repository, an H2 file in its directory. */
    String repositoryUrl() {
        return "jdbc:h2:file:" + dir.resolve("repository").toAbsolutePath()
                + ";AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0";
    }

    static Path home() {
        String dist = System.getProperty("llmbatch.dist", "target/llm-batch");
        return Path.of(dist).toAbsolutePath();
    }

    Dist env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the command under another one, such as {@code strace -f -o FILE}. */
    Dist wrappedIn(String... command) {
        wrapper.addAll(List.of(command));
        return this;
    }

    /** A started command; its combined output goes to a file in the test directory. */
    Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(home().resolve("bin/llm-batch").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("cli-" + (++runs) + "-" + args[0] + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        return new Running(pb.start(), log);
    }

    /** Runs a command to its end. */
    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        Running r = start(args);
        return r.await(timeout);
    }

    record Result(int exitCode, String output) {
        long executionId() {
            Matcher m = STARTED.matcher(output);
            if (!m.find()) {
                throw new AssertionError("no execution id in output:\n" + output);
            }
            return Long.parseLong(m.group(1));
        }
    }

    record Running(Process process, Path log) {

        Result await(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("command did not end within " + timeout + ":\n" + output());
            }
            return new Result(process.exitValue(), output());
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        /** SIGKILL: the JVM gets no chance to clean up. */
        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** Waits until {@code marker} exists; fails if the process ends first. */
        void awaitFile(Path marker, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(marker)) {
                if (!process.isAlive()) {
                    throw new AssertionError("process ended (exit " + process.exitValue() + ") before "
                            + marker.getFileName() + ":\n" + output());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("no " + marker.getFileName() + " within " + timeout + ":\n" + output());
                }
                Thread.sleep(50);
            }
        }

        long executionId() throws IOException {
            return new Result(0, output()).executionId();
        }
    }
}
