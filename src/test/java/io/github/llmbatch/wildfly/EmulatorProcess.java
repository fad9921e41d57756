package io.github.llmbatch.wildfly;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The provider emulator as its own process, started from the SE distribution the build
 * assembles ({@code java -cp lib/* io.github.llmbatch.emulator.EmulatorMain}), so that it
 * outlives a server that is killed under a running job. Its {@code /_emulator/stats} tell which
 * batches were created, with their idempotency keys.
 */
public final class EmulatorProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ManagedProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private EmulatorProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it on a free loopback port with the fault plan {@code faults} and waits until it serves. */
    public static EmulatorProcess start(Path dist, String faults, Path logDir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-cp", dist.resolve("lib") + "/*",
                "io.github.llmbatch.emulator.EmulatorMain", "--port", Integer.toString(port), "--faults", faults);
        Path log = logDir.resolve("emulator.log");
        ManagedProcess process = ManagedProcess.start("emulator", command, logDir,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), log);
        EmulatorProcess emulator = new EmulatorProcess(process, port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String expected = "emulator listening on http://127.0.0.1:" + port + "/v1";
        while (!(Files.exists(log) && Files.readString(log).contains(expected))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                emulator.close();
                throw new IllegalStateException("the emulator did not start:\n" + process.logTail(4000));
            }
            Thread.sleep(100);
        }
        return emulator;
    }

    /** The base URL a job's {@code baseUrl} parameter takes. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public JsonObject stats() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_emulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("emulator stats answered " + response.statusCode() + ": " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /**
     * The batches created for job instance {@code instanceId}: "KEY STATUS" in creation order, KEY
     * being the {@code llm_batch_key} metadata (it names the instance, the shard and the attempt).
     */
    public List<String> batchesOf(long instanceId) throws IOException, InterruptedException {
        List<String> batches = new ArrayList<>();
        for (JsonValue value : stats().getJsonArray("batches")) {
            JsonObject batch = value.asJsonObject();
            JsonValue metadata = batch.get("metadata");
            if (metadata == null || metadata.getValueType() != JsonValue.ValueType.OBJECT) {
                continue;
            }
            String key = metadata.asJsonObject().getString("llm_batch_key", "");
            if (key.contains("-i" + instanceId + "-s")) {
                batches.add(key + " " + batch.getString("status"));
            }
        }
        return batches;
    }

    /** The names of the request files uploaded for job instance {@code instanceId}, in upload order. */
    public List<String> uploadsOf(long instanceId) throws IOException, InterruptedException {
        List<String> uploads = new ArrayList<>();
        for (JsonValue value : stats().getJsonArray("batchFileNames")) {
            String name = ((JsonString) value).getString();
            if (name.contains("-i" + instanceId + "-s")) {
                uploads.add(name);
            }
        }
        return uploads;
    }

    public String logTail() {
        return process.logTail(4000);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
