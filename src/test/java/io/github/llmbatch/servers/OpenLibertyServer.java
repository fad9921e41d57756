package io.github.llmbatch.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Open Liberty 26 from the runtime zip the build unpacks (system property {@code liberty.home},
 * the {@code wlp} folder), run as an administrator runs it: {@code bin/server run} on a server
 * whose user directory ({@code WLP_USER_DIR}) is a fresh folder under {@code target/server-runs/},
 * with server-config/liberty/server.xml as its configuration, the WAR in {@code apps/}, the
 * test's users in {@code users.xml} and its port in {@code bootstrap.properties}
 * ({@code liberty.port}, default 18380; 127.0.0.1 only, no HTTPS).
 */
public final class OpenLibertyServer extends ProcessAppServer {

    private static final String SERVER = "llmbatch";

    private final Path home;
    private final Path serverDir;
    private final StringBuilder users = new StringBuilder();

    public OpenLibertyServer(String name, Map<String, String> environment) throws IOException {
        super("Open Liberty", "open-liberty", name, Integer.parseInt(System.getProperty("liberty.port", "18380")),
                environment);
        this.home = Path.of(requiredProperty("liberty.home"));
        this.serverDir = runDir.resolve("usr/servers/" + SERVER);
        this.environment.put("JAVA_HOME", System.getProperty("java.home"));
        this.environment.put("WLP_USER_DIR", runDir.resolve("usr").toString());
        Files.createDirectories(serverDir.resolve("apps"));
        Files.copy(serverConfig().resolve("liberty/server.xml"), serverDir.resolve("server.xml"));
        Files.copy(Path.of(requiredProperty("llmbatch.war")),
                serverDir.resolve("apps/llm-batch.war"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(serverDir.resolve("bootstrap.properties"),
                "llmbatch.http.port=" + port + "\n"
                + "llmbatch.postgresql.jar=" + requiredProperty("postgresql.jar") + "\n");
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
    protected List<String> command() {
        return List.of(home.resolve("bin/server").toString(), "run", SERVER);
    }

    @Override
    protected boolean booted(String log) {
        return log.contains("CWWKZ0001I") && log.contains("CWWKF0011I");
    }

    @Override
    protected String bootFailure(String log) {
        return log.contains("CWWKZ0002E") || log.contains("CWWKF0001E") ? "could not start the application" : null;
    }

    /** Liberty's own message log, which says more than the console. */
    @Override
    public String logTail() {
        Path messages = serverDir.resolve("logs/messages.log");
        try {
            String text = Files.readString(messages, StandardCharsets.UTF_8);
            return text.length() <= 8000 ? text : text.substring(text.length() - 8000);
        } catch (IOException e) {
            return super.logTail();
        }
    }
}
