package io.github.llmbatch.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.llmbatch.wildfly.WildFlyServer;

/**
 * WildFly 39 as an administrator sets it up (README, "WildFly"): a fresh standalone server from
 * the distribution the build unpacks, the test's users added with {@code add-user.sh}, at the
 * first boot server-config/configure.cli and then the WAR deployed with jboss-cli; later boots
 * start the server as it was left (configuration and deployment are in its standalone.xml).
 * Loopback only, on the given port offset.
 */
public final class WildFlyAppServer implements AppServer {

    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(2);

    private final WildFlyServer server;
    private final List<String[]> users = new ArrayList<>();
    private final URI api;
    private int starts;

    /**
     * @param environment the server's environment: {@code LLMBATCH_DB_URL}, {@code _USER},
     *                    {@code _PASSWORD} that configure.cli's datasource reads, the provider key
     */
    public WildFlyAppServer(String name, int portOffset, Map<String, String> environment) throws IOException {
        this.server = WildFlyServer.fresh(name, portOffset);
        environment.forEach(server::environment);
        this.api = server.httpUri("/llm-batch/api/");
    }

    /** A user of the application realm in the given roles (comma-separated). */
    public WildFlyAppServer user(String user, String password, String roles) {
        users.add(new String[] {user, password, roles});
        return this;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        starts++;
        if (starts == 1) {
            // the properties files add-user.sh writes are read at each login: no restart needed
            for (String[] user : users) {
                server.addApplicationUser(user[0], user[1], user[2]);
            }
        }
        server.start();
        if (starts == 1) {
            server.cliScript(ProcessAppServer.serverConfig().resolve("configure.cli"),
                    Map.of("llmbatch.postgresql.jar", ProcessAppServer.requiredProperty("postgresql.jar")));
            server.deploy(Path.of(ProcessAppServer.requiredProperty("llmbatch.war")));
        }
        awaitApplication();
    }

    /** Boot completes after the deployments, but a jboss-cli deploy may still be settling: ask. */
    private void awaitApplication() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            // any answer but 404 (401 without credentials) means the application is there
            try {
                status = http.send(HttpRequest.newBuilder(api.resolve("jobs")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 404) {
                    return;
                }
            } catch (IOException notYet) {
                // the listener is not accepting yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the WAR does not answer on " + api + " (last status " + status + "):\n"
                + logTail());
    }

    @Override
    public void kill() {
        server.kill();
    }

    @Override
    public URI api() {
        return api;
    }

    /** The server's base directory (configuration, data, log); the job's work directory is data/llm-batch. */
    @Override
    public Path runDir() {
        return server.baseDir();
    }

    @Override
    public String logTail() {
        try {
            String log = server.serverLog();
            return log.length() <= 8000 ? log : log.substring(log.length() - 8000);
        } catch (IOException e) {
            return "(no server.log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
