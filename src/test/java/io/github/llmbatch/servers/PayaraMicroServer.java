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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.llmbatch.wildfly.ManagedProcess;

/**
 * Payara Micro 6 from its Maven Central jar (system property {@code payara.micro.jar}), run as
 * an administrator runs it: {@code java -jar payara-micro.jar} with a root directory of its own
 * under {@code target/server-runs/}, the PostgreSQL driver added with {@code --addlibs}, and at
 * the first boot server-config/payara/post-boot-commands.asadmin plus the test's own file-realm
 * user. HTTP on 127.0.0.1 only ({@code payara.port}, default 18280), no HTTPS, no clustering.
 */
public final class PayaraMicroServer implements AppServer {

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(6);

    private final Path jar;
    private final Path war;
    private final Path runDir;
    private final int port;
    private final Map<String, String> environment;
    private final List<String> bootCommands = new ArrayList<>();
    private ManagedProcess process;
    private int starts;

    /**
     * @param environment the server's environment: the database settings the boot commands
     *                    name, the provider key
     */
    public PayaraMicroServer(String name, Map<String, String> environment) throws IOException {
        this.jar = Path.of(requiredProperty("payara.micro.jar"));
        this.war = Path.of(requiredProperty("llmbatch.war"));
        this.runDir = Path.of(System.getProperty("server.runs", "target/server-runs"))
                .resolve(name + "-" + System.currentTimeMillis()).toAbsolutePath();
        this.port = Integer.parseInt(System.getProperty("payara.port", "18280"));
        this.environment = new LinkedHashMap<>(environment);
        for (String inherited : List.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME")) {
            String value = System.getenv(inherited);
            if (value != null) {
                this.environment.putIfAbsent(inherited, value);
            }
        }
        Files.createDirectories(runDir);
        bootCommands.addAll(Files.readAllLines(serverConfig().resolve("payara/post-boot-commands.asadmin")));
    }

    /** A user of the file realm in the given groups (Payara maps a role to the group of its name). */
    public PayaraMicroServer user(String user, String password, String groups) throws IOException {
        Path passwordFile = runDir.resolve("password-" + user);
        Files.writeString(passwordFile, "AS_ADMIN_USERPASSWORD=" + password + "\n");
        bootCommands.add("create-file-user --groups " + groups + " --passwordfile " + passwordFile + " " + user);
        return this;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("server already running");
        }
        starts++;
        Path rootDir = runDir.resolve("root");
        Path preBoot = runDir.resolve("pre-boot.asadmin");
        // loopback only; Payara Micro has no option for the HTTP listener's address
        Files.writeString(preBoot, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx768m",
                "-Dllmbatch.workDir=" + runDir.resolve("llm-batch"),
                "-jar", jar.toString(),
                "--nocluster", "--port", Integer.toString(port), "--rootdir", rootDir.toString(),
                "--addlibs", requiredProperty("postgresql.jar"),
                "--prebootcommandfile", preBoot.toString()));
        if (starts == 1) {
            Path postBoot = runDir.resolve("post-boot.asadmin");
            Files.write(postBoot, bootCommands);
            command.addAll(List.of("--postbootcommandfile", postBoot.toString()));
        }
        command.addAll(List.of("--deploy", war.toString()));
        Path log = runDir.resolve("payara-" + starts + ".log");
        process = ManagedProcess.start("payara-micro", command, runDir, environment, log);
        awaitApplication(log);
    }

    private void awaitApplication(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited during boot:\n" + process.logTail(8000));
            }
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("ready in")) {
                if (!text.contains("llm-batch was successfully deployed")) {
                    throw new IllegalStateException("Payara Micro booted without the WAR:\n" + process.logTail(8000));
                }
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
        throw new IllegalStateException("Payara Micro did not boot within " + BOOT_TIMEOUT + ":\n"
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
