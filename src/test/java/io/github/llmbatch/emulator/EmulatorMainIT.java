package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The emulator as its own process: announces its URL, serves, exposes stats, stops on SIGTERM. */
class EmulatorMainIT {

    @Test
    void runsAsAProcessUntilStopped() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                EmulatorMain.class.getName(), "--port", "0", "--faults", "fail400=r-0;validatingMs=0;inProgressMs=0"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertNotNull(line, "the emulator printed nothing");
            Matcher matcher = Pattern.compile("emulator listening on (http://127\\.0\\.0\\.1:(\\d+)/v1)").matcher(line);
            assertTrue(matcher.matches(), line);
            TestClient client = new TestClient(URI.create(matcher.group(1)));

            JsonNode batch = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(3)));
            assertEquals(2, batch.get("request_counts").get("completed").asInt());
            assertEquals(1, batch.get("request_counts").get("failed").asInt());

            JsonNode stats = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + matcher.group(2)
                    + "/_emulator/stats")).GET().build()).json();
            assertEquals(1, stats.get("filesUploaded").asInt());
            assertEquals(1, stats.get("batchesCreated").asInt());
            assertEquals(3, stats.get("requestsProcessed").asInt());
        } finally {
            process.destroy();
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the emulator did not stop on SIGTERM");
    }
}
