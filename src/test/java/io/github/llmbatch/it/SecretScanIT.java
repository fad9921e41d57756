package io.github.llmbatch.it;

import io.github.llmbatch.emulator.EmulatorConfig;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.emulator.FaultPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API key never lands anywhere: not in the job repository, the ledger, the work directory,
 * the outputs, nor the logs, even at the most verbose log level and with provider errors that
 * make the client log and retry.
 */
class SecretScanIT {

    static final String KEY = "sk-test-secret-9c2e51b7aa";

    @TempDir
    Path dir;

    @Test
    void theKeyAppearsInNoFileAndNoLog() throws Exception {
        try (EmulatorServer emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withFaults(FaultPlan.parse("upload=500x1;create=429x1;retrieve=502x2;fail400=s-1.")))) {
            Path input = dir.resolve("in.jsonl");
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= 300; i++) {
                sb.append("{\"id\":\"s-").append(i).append("\",\"text\":\"t").append(i).append("\"}\n");
            }
            sb.append("not json\n");
            Files.writeString(input, sb);
            Path props = dir.resolve("job.properties");
            Files.writeString(props, String.join("\n", "input=" + input, "output=" + dir.resolve("out.jsonl"),
                    "workDir=" + dir.resolve("work"), "baseUrl=" + emulator.baseUrl(), "model=gpt-4o-mini",
                    "userTemplate={{text}}", "maxRequestsPerFile=100", "pollInterval=200ms", ""));
            Dist dist = new Dist(dir).env("OPENAI_API_KEY", KEY).env("LLM_BATCH_LOG_LEVEL", "ALL");

            Dist.Result run = dist.run(Duration.ofMinutes(3), "run", props.toString());
            assertEquals(0, run.exitCode(), run.output());
            long id = run.executionId();
            assertEquals(0, dist.run(Duration.ofMinutes(1), "status", Long.toString(id), "--json").exitCode());
            assertEquals(0, dist.run(Duration.ofMinutes(1), "list", "--json").exitCode());
            assertTrue(run.output().length() > 1_000, "verbose logging was on:\n" + run.output());
        }

        List<Path> hits = filesContaining(dir, KEY);
        assertEquals(List.of(), hits, "files holding the API key");

        Path control = dir.resolve("control.txt");
        Files.writeString(control, "x" + KEY + "x");
        assertEquals(List.of(control), filesContaining(dir, KEY), "the scan finds the key where it is");
    }

    private static List<Path> filesContaining(Path root, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    hits.add(f);
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
