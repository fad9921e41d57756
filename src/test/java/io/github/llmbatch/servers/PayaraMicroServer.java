package io.github.llmbatch.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Payara Micro 6 from its Maven Central jar (system property {@code payara.micro.jar}), run as
 * an administrator runs it: {@code java -jar payara-micro.jar} with a root directory of its own
 * under {@code target/server-runs/}, the PostgreSQL driver added with {@code --addlibs}, and at
 * the first boot server-config/payara/post-boot-commands.asadmin plus the test's own file-realm
 * user. HTTP on 127.0.0.1 only ({@code payara.port}, default 18280), no HTTPS, no clustering.
 */
public final class PayaraMicroServer extends ProcessAppServer {

    private final Path jar;
    private final Path war;
    private final List<String> bootCommands = new ArrayList<>();

    /**
     * @param environment the server's environment: the database settings the boot commands
     *                    name, the provider key
     */
    public PayaraMicroServer(String name, Map<String, String> environment) throws IOException {
        super("Payara Micro", "payara-micro", name, Integer.parseInt(System.getProperty("payara.port", "18280")),
                environment);
        this.jar = Path.of(requiredProperty("payara.micro.jar"));
        this.war = Path.of(requiredProperty("llmbatch.war"));
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
    protected List<String> command() throws IOException {
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
        return command;
    }

    @Override
    protected boolean booted(String log) {
        return log.contains("ready in");
    }

    @Override
    protected String bootFailure(String log) {
        return booted(log) && !log.contains("llm-batch was successfully deployed") ? "booted without the WAR" : null;
    }
}
