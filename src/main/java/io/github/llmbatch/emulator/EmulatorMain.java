package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an emulator until the process is stopped (Ctrl-C).
 *
 * <pre>
 * EmulatorMain [--port N] [--host ADDRESS] [--faults SPEC] [--storage DIR]
 * </pre>
 * Defaults: port 8089, host 127.0.0.1, no faults, a temporary storage directory. Prints
 * {@code emulator listening on http://127.0.0.1:N/v1} once it serves. Exit code 2 on bad arguments, 1 when
 * the server cannot start (for example, the port is taken).
 */
public final class EmulatorMain {

    static final int DEFAULT_PORT = 8089;

    private EmulatorMain() {
    }

    public static void main(String[] args) {
        EmulatorConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: emulator [--port N] [--host ADDRESS] [--faults SPEC] [--storage DIR]");
            System.exit(2);
            return;
        }
        EmulatorServer server;
        try {
            server = EmulatorServer.start(config);
        } catch (IOException e) {
            System.err.println("emulator could not start on " + config.host() + ":" + config.port() + ": " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "llm-batch-emulator-stop"));
        System.out.println("emulator listening on " + server.baseUrl());
        System.out.println("Gemini Batch Mode (v1beta) at " + server.geminiBaseUrl());
        System.out.println("Anthropic Message Batches at " + server.anthropicBaseUrl());
        System.out.flush();
        try {
            stopped.await(); // the emulator's own threads are daemons; this thread keeps the JVM running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
    }

    static EmulatorConfig parse(String[] args) {
        EmulatorConfig config = EmulatorConfig.defaults().withPort(DEFAULT_PORT);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> {
                    try {
                        config = config.withPort(Integer.parseInt(value));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, not '" + value + "'");
                    }
                }
                case "--host" -> config = config.withHost(value);
                case "--faults" -> config = config.withFaults(FaultPlan.parse(value));
                case "--storage" -> config = config.withStorageDir(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return config;
    }
}
