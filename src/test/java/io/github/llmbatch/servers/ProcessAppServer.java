package io.github.llmbatch.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.llmbatch.wildfly.ManagedProcess;

/**
 * What a server run as a process of its own shares with the others: a fresh run directory under
 * {@code target/server-runs/}, HTTP on 127.0.0.1 at one port, the test's environment plus the
 * machine's PATH, HOME, LANG, TZ and JAVA_HOME, the wait until the application answers, kill and
 * shut-down. A subclass says how the server is launched and what its log says at boot.
 */
abstract class ProcessAppServer implements AppServer {

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(6);

    private final String displayName;
    private final String processName;
    protected final Path runDir;
    protected final int port;
    protected final Map<String, String> environment;
    protected ManagedProcess process;
    protected int starts;

    /**
     * @param processName names the process and its logs ({@code <processName>-<start>.log})
     * @param environment the server's environment as the test wants it
     */
    ProcessAppServer(String displayName, String processName, String runName, int port,
                     Map<String, String> environment) throws IOException {
        this.displayName = displayName;
        this.processName = processName;
        this.runDir = Path.of(System.getProperty("server.runs", "target/server-runs"))
                .resolve(runName + "-" + System.currentTimeMillis()).toAbsolutePath();
        this.port = port;
        this.environment = new LinkedHashMap<>(environment);
        for (String inherited : List.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME")) {
            String value = System.getenv(inherited);
            if (value != null) {
                this.environment.putIfAbsent(inherited, value);
            }
        }
        Files.createDirectories(runDir);
    }

    /** The server's command line for this start ({@link #starts} counts from 1). */
    protected abstract List<String> command() throws IOException;

    /** Whether the boot log says the server is up with the application deployed. */
    protected abstract boolean booted(String log);

    /** Why the boot log says the application will not come up, or null. */
    protected abstract String bootFailure(String log);

    @Override
    public final void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("server already running");
        }
        starts++;
        Path log = runDir.resolve(processName + "-" + starts + ".log");
        process = ManagedProcess.start(processName, command(), runDir, environment, log);
        awaitApplication(log);
    }

    private void awaitApplication(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(displayName + " exited during boot:\n" + process.logTail(8000));
            }
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            String failure = bootFailure(text);
            if (failure != null) {
                throw new IllegalStateException(displayName + " " + failure + ":\n" + process.logTail(8000));
            }
            if (booted(text)) {
                // any answer but 404 (401 without credentials) means the application is there
                try {
                    HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(api().resolve("jobs")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() != 404) {
                        return;
                    }
                } catch (IOException notYet) {
                    // the listener is not accepting yet
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(displayName + " did not boot within " + BOOT_TIMEOUT + ":\n"
                + process.logTail(8000));
    }

    @Override
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public URI api() {
        return URI.create("http://127.0.0.1:" + port + "/llm-batch/api/");
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public String logTail() {
        return process == null ? "(not started)" : process.logTail(8000);
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(60));
        }
    }

    static Path serverConfig() {
        return Path.of(System.getProperty("llmbatch.serverConfig", "server-config"));
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run with mvn verify)");
        }
        return value;
    }
}
