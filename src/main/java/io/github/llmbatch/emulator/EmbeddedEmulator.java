package io.github.llmbatch.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-process emulators behind job parameter {@code baseUrl=embedded}: one per fault spec, started
 * on first use on a free loopback port and closed when the JVM exits.
 */
public final class EmbeddedEmulator {

    private static final Map<String, EmulatorServer> RUNNING = new HashMap<>();
    private static boolean hookInstalled;

    private EmbeddedEmulator() {
    }

    /**
     * The emulator for this fault spec (null or blank: no faults); the same spec gives the same instance
     * while it runs.
     *
     * @throws IllegalArgumentException when the spec does not parse
     * @throws UncheckedIOException     when the server cannot start
     */
    public static synchronized EmulatorServer shared(String faultSpec) {
        String key = faultSpec == null ? "" : faultSpec.trim();
        EmulatorServer server = RUNNING.get(key);
        if (server != null && !server.isClosed()) {
            return server;
        }
        FaultPlan plan = FaultPlan.parse(key);
        try {
            server = EmulatorServer.start(EmulatorConfig.defaults().withFaults(plan));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded emulator", e);
        }
        RUNNING.put(key, server);
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedEmulator::closeAll, "llm-batch-emulator-stop"));
            hookInstalled = true;
        }
        return server;
    }

    private static synchronized void closeAll() {
        RUNNING.values().forEach(EmulatorServer::close);
        RUNNING.clear();
    }
}
