package io.github.llmbatch.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.llmbatch.wildfly.ManagedProcess;

/**
 * Open Liberty 26 from the runtime zip the build unpacks (system property {@code liberty.home},
 * the {@code wlp} folder), run as an administrator runs it: {@code bin/server run} on a server
 * whose user directory ({@code WLP_USER_DIR}) is a fresh folder under {@code target/server-runs/},
 * with server-config/liberty/server.xml as its configuration, the WAR in {@code apps/}, the
 * test's users in {@code users.xml} and its port in {@code bootstrap.properties}
 * ({@code liberty.port}, default 18380; 127.0.0.1 only, no HTTPS).
 */
public final class OpenLibertyServer implements AppServer {

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(6);
    private static final String SERVER = "llmbatch";

    private final Path home;
    private final Path runDir;
    private final Path serverDir;
    private final int port;
    private final Map<String, String> environment;
    private final StringBuilder users = new StringBuilder();
    private ManagedProcess process;
    private int starts;

    public OpenLibertyServer(String name, Map<String, String> environment) throws IOException {
        this.home = Path.of(PayaraMicroServer.requiredProperty("liberty.home"));
        this.runDir = Path.of(System.getProperty("server.runs", "target/server-runs"))
                .resolve(name + "-" + System.currentTimeMillis()).toAbsolutePath();
        this.serverDir = runDir.resolve("usr/servers/" + SERVER);
        this.port = Integer.parseInt(System.getProperty("liberty.port", "18380"));
        this.environment = new LinkedHashMap<>(environment);
        for (String inherited : List.of("PATH", "HOME", "LANG", "TZ")) {
            String value = System.getenv(inherited);
            if (value != null) {
                this.environment.putIfAbsent(inherited, value);
            }
        }
        this.environment.put("JAVA_HOME", System.getProperty("java.home"));
        this.environment.put("WLP_USER_DIR", runDir.resolve("usr").toString());
        Files.createDirectories(serverDir.resolve("apps"));
        Files.copy(PayaraMicroServer.serverConfig().resolve("liberty/server.xml"), serverDir.resolve("server.xml"));
        Files.copy(Path.of(PayaraMicroServer.requiredProperty("llmbatch.war")),
                serverDir.resolve("apps/llm-batch.war"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(serverDir.resolve("bootstrap.properties"),
                "llmbatch.http.port=" + port + "\n"
                + "llmbatch.postgresql.jar=" + PayaraMicroServer.requiredProperty("postgresql.jar") + "\n");
        Files.writeString(serverDir.resolve("jvm.options"),
                "-Xmx768m\n-Dllmbatch.workDir=" + runDir.resolve("llm-batch") + "\n");
    }

    /** A user of the basic registry in group {@code group} (users.xml beside server.xml). */
    public OpenLibertyServer user(String user, String password, String group) throws IOException {
        users.append("    <user name=\"").append(user).append("\" password=\"").append(password).append("\"/>\n")
                .append("    <group name=\"").append(group).append("\"><member name=\"").append(user)
                .append("\"/></group>\n");
        Files.writeString(serverDir.resolve("users.xml"), "<server>\n  <basicRegistry id=\"basic\" realm=\"llm-batch\">\n"
                + users + "  </basicRegistry>\n</server>\n");
        return this;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("server already running");
        }
        starts++;
        Path log = runDir.resolve("liberty-" + starts + ".log");
        process = ManagedProcess.start("open-liberty", List.of(home.resolve("bin/server").toString(), "run", SERVER),
                runDir, environment, log);
        awaitApplication(log);
    }

    private void awaitApplication(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Open Liberty exited during boot:\n" + process.logTail(8000));
            }
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("CWWKZ0002E") || text.contains("CWWKF0001E")) {
                throw new IllegalStateException("Open Liberty could not start the application:\n" + process.logTail(8000));
            }
            if (text.contains("CWWKZ0001I") && text.contains("CWWKF0011I")) {
                try {
                    HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(api().resolve("jobs")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() != 404) {
                        return;
                    }
                } catch (IOException notYet) {
                    // the endpoint is not accepting yet
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Open Liberty did not boot within " + BOOT_TIMEOUT + ":\n" + process.logTail(8000));
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
        Path messages = serverDir.resolve("logs/messages.log");
        try {
            String text = Files.readString(messages, StandardCharsets.UTF_8);
            return text.length() <= 8000 ? text : text.substring(text.length() - 8000);
        } catch (IOException e) {
            return process == null ? "(not started)" : process.logTail(8000);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(60));
        }
    }
}
