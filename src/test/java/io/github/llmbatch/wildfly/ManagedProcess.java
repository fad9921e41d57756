package io.github.llmbatch.wildfly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the test JVM (a server, the emulator) whose whole process tree is ended
 * when the test ends: by {@link #close()}, and by a JVM shutdown hook for whatever a failed
 * test left running. Its output goes to a log file, so that a failure can show it.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(ManagedProcess::kill), "managed-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code workDir} with exactly {@code environment}. */
    public static ManagedProcess start(String name, List<String> command, Path workDir,
            Map<String, String> environment, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        ManagedProcess started = new ManagedProcess(name, builder.start(), log);
        LIVE.add(started);
        return started;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }

    /** The last {@code maxChars} characters of the log, for failure messages. */
    public String logTail(int maxChars) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL to every process of the tree, children first: a crash, nothing runs after it. */
    public void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, Duration.ofSeconds(30));
        LIVE.remove(this);
    }

    /**
     * SIGTERM to the tree (a JVM runs its shutdown hooks, WildFly shuts down gracefully),
     * then SIGKILL to whatever is still alive after {@code grace}.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, grace)) {
            kill();
        }
        LIVE.remove(this);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(60));
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process.toHandle());
        return tree;
    }

    private static boolean awaitExit(List<ProcessHandle> tree, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (handle.isAlive()) {
                    return false;
                }
            }
        }
        return true;
    }
}
