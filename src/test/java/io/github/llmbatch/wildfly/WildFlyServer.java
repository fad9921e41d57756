package io.github.llmbatch.wildfly;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A WildFly standalone server for integration tests, run from the distribution that the build
 * unpacks (system property {@code wildfly.home}). Each instance has its own server base
 * directory (configuration, data, deployments, logs) copied fresh from the distribution, so
 * runs never see each other's state; it listens on 127.0.0.1 only, with a port offset.
 *
 * <p>It is driven the way an administrator drives it: {@code bin/standalone.sh} to start,
 * {@code bin/jboss-cli.sh} for configuration and deployment, SIGTERM to stop; and SIGKILL to
 * simulate a crash. {@link #close()} always leaves no server process behind.
 */
public final class WildFlyServer implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(6);
    private static final int MANAGEMENT_PORT = 9990;
    private static final int HTTP_PORT = 8080;

    private final Path home;
    private final Path baseDir;
    private final int portOffset;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private ManagedProcess process;
    private int starts;
    private int cliRuns;

    private WildFlyServer(Path home, Path baseDir, int portOffset) {
        this.home = home;
        this.baseDir = baseDir;
        this.portOffset = portOffset;
        inheritEnvironment("PATH", "HOME", "JAVA_HOME", "LANG", "TZ");
    }

    /**
     * A server from the distribution at system property {@code wildfly.home}, with a fresh
     * base directory under {@code target/wildfly-runs/NAME-TIMESTAMP} and the port offset from
     * {@code wildfly.portOffset} (default 10000: HTTP on 18080, management on 19990).
     */
    public static WildFlyServer fresh(String name) throws IOException {
        return fresh(name, Integer.parseInt(System.getProperty("wildfly.portOffset", "10000")));
    }

    /** As {@link #fresh(String)}, on ports of its own: HTTP on 8080 + offset, management on 9990 + offset. */
    public static WildFlyServer fresh(String name, int portOffset) throws IOException {
        Path home = Path.of(requiredProperty("wildfly.home"));
        if (!Files.isExecutable(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException("no WildFly distribution at " + home
                    + " (the build unpacks it in pre-integration-test)");
        }
        Path runs = Path.of(System.getProperty("wildfly.runs", "target/wildfly-runs"));
        Path baseDir = runs.resolve(name + "-" + System.currentTimeMillis()).toAbsolutePath();
        copyTree(home.resolve("standalone"), baseDir);
        return new WildFlyServer(home, baseDir, portOffset);
    }

    /** Sets a variable in the environment the server starts with (next {@link #start()}). */
    public WildFlyServer environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Removes a variable from the environment the server starts with. */
    public WildFlyServer withoutEnvironment(String name) {
        environment.remove(name);
        return this;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** {@code jboss.server.data.dir} of this server. */
    public Path dataDir() {
        return baseDir.resolve("data");
    }

    /** The server's own log, {@code log/server.log} of its base directory. */
    public String serverLog() throws IOException {
        return Files.readString(baseDir.resolve("log/server.log"), StandardCharsets.UTF_8);
    }

    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + (HTTP_PORT + portOffset) + path);
    }

    /**
     * Starts {@code standalone.sh} and returns once the server has booted and its management
     * API reports {@code server-state} "running". Fails with the server log if it does not.
     */
    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("server already running");
        }
        starts++;
        Path log = baseDir.resolve("console-" + starts + ".log");
        List<String> command = List.of(
                home.resolve("bin/standalone.sh").toString(),
                "-b", "127.0.0.1",
                "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djboss.server.base.dir=" + baseDir);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("JBOSS_HOME", home.toString());
        process = ManagedProcess.start("wildfly", command, baseDir, env, log);
        awaitBoot(log);
        String state = cliCommand(":read-attribute(name=server-state)");
        if (!state.contains("\"result\" => \"running\"")) {
            throw new IllegalStateException("server booted but is not running:\n" + state);
        }
    }

    /** Runs a jboss-cli script against this server; {@code properties} become -D options. */
    public String cliScript(Path script, Map<String, String> properties)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("--file=" + script.toAbsolutePath());
        properties.forEach((key, value) -> args.add("-D" + key + "=" + value));
        return cli(args);
    }

    /** Runs one jboss-cli command or operation against this server and returns its output. */
    public String cliCommand(String command) throws IOException, InterruptedException {
        return cli(List.of("--command=" + command));
    }

    /** Deploys (or replaces) a WAR under its file name, through jboss-cli. */
    public void deploy(Path war) throws IOException, InterruptedException {
        cliCommand("deploy " + war.toAbsolutePath() + " --force");
    }

    /**
     * Adds a user of the application realm in {@code roles} with {@code bin/add-user.sh}, as an
     * administrator does (the server reads the properties files at each login, no reload).
     */
    public void addApplicationUser(String user, String password, String roles)
            throws IOException, InterruptedException {
        Path log = baseDir.resolve("add-user-" + user + ".log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/add-user.sh").toString(),
                "-a", "-u", user, "-p", password, "-g", roles, "-sc", baseDir.resolve("configuration").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("JBOSS_HOME", home.toString());
        builder.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process addUser = builder.start();
        if (!addUser.waitFor(2, TimeUnit.MINUTES) || addUser.exitValue() != 0) {
            addUser.destroyForcibly();
            throw new IllegalStateException("add-user.sh failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /** SIGKILL to the server: a crash. Nothing is shut down, nothing is flushed. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** Graceful shutdown (SIGTERM), SIGKILL after a grace period. */
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitBoot(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("WildFly exited during boot:\n" + process.logTail(6000));
            }
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("WFLYSRV0026")) {
                throw new IllegalStateException("WildFly started with errors:\n" + process.logTail(6000));
            }
            if (text.contains("WFLYSRV0025")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("WildFly did not boot within " + BOOT_TIMEOUT + ":\n"
                + process.logTail(6000));
    }

    private String cli(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/jboss-cli.sh").toString());
        command.add("--connect");
        command.add("--controller=remote+http://127.0.0.1:" + (MANAGEMENT_PORT + portOffset));
        // milliseconds the CLI waits for the server, also after a reload in a script
        command.add("--timeout=" + BOOT_TIMEOUT.toMillis());
        command.addAll(args);
        cliRuns++;
        Path log = baseDir.resolve("cli-" + cliRuns + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("JBOSS_HOME", home.toString());
        // a short-lived client JVM: C1 only starts it in about half the time
        builder.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process cli = builder.start();
        if (!cli.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            cli.destroyForcibly();
            throw new IllegalStateException("jboss-cli did not finish within " + CLI_TIMEOUT
                    + ": " + args + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (cli.exitValue() != 0) {
            throw new IllegalStateException("jboss-cli failed (exit " + cli.exitValue() + "): "
                    + args + "\n" + output);
        }
        return output;
    }

    private void inheritEnvironment(String... names) {
        for (String name : names) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run with mvn verify)");
        }
        return value;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
