package io.github.llmbatch.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code llm-batch run} against an OpenAI-compatible server at {@code baseUrl} — here the
 * emulator started as its own process with {@code llm-batch emulator}: 2,600 records at 1,000
 * per file make exactly 3 batches, and every record comes back in input order with its own answer.
 */
class EmulatorProcessIT {

    @TempDir
    Path dir;

    @Test
    void twentySixHundredRecordsMakeThreeBatchesAndComeBackInOrder() throws Exception {
        Dist dist = new Dist(dir).env("OPENAI_API_KEY", "sk-test-process");
        Dist.Running emulator = dist.start("emulator", "--port", "0");
        try {
            URI base = awaitBaseUrl(emulator);
            Path input = dir.resolve("in.jsonl");
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= 2_600; i++) {
                sb.append("{\"id\":\"p-").append(i).append("\",\"q\":\"question ").append(i).append("\"}\n");
            }
            Files.writeString(input, sb);
            Path props = dir.resolve("job.properties");
            Files.writeString(props, String.join("\n", "input=in.jsonl", "output=out.jsonl", "workDir=work",
                    "baseUrl=" + base, "model=gpt-4o-mini", "userTemplate=Answer: {{q}}",
                    "maxRequestsPerFile=1000", "pollInterval=300ms", ""));

            Dist.Result run = dist.run(Duration.ofMinutes(3), "run", props.toString());

            assertEquals(0, run.exitCode(), run.output());
            List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
            assertEquals(2_600, out.size());
            for (int i = 1; i <= 2_600; i++) {
                String line = out.get(i - 1);
                assertTrue(line.startsWith("{\"id\":\"p-" + i + "\",\"status\":\"succeeded\",\"content\":\"[emulated] p-"
                        + i + ": Answer: question " + i + "\""), line);
            }
            String stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base.toString().replaceFirst("/v1$", "") + "/_emulator/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(stats.contains("\"batchesCreated\":3"), stats);
            assertTrue(stats.contains("\"filesUploaded\":3"), stats);
        } finally {
            emulator.kill9();
        }
    }

    private static URI awaitBaseUrl(Dist.Running emulator) throws Exception {
        Pattern listening = Pattern.compile("emulator listening on (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(emulator.output());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            assertTrue(emulator.process().isAlive(), "emulator ended:\n" + emulator.output());
            Thread.sleep(100);
        }
        throw new AssertionError("emulator did not start:\n" + emulator.output());
    }
}
