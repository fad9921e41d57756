package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A request line longer than Jackson's default 20-million-character string cap, within the provider's limits. */
class LongLineTest {

    private EmulatorServer emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aThirtyMegabyteRequestLineIsExecuted() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 0, 0, 0)));
        TestClient client = new TestClient(emulator.baseUrl());
        String text = "y".repeat(30_000_000);
        String jsonl = TestClient.chatLine("big", text) + "\n" + TestClient.chatLine("small", "hi") + "\n";

        JsonNode batch = client.awaitTerminal(client.startChatBatch(jsonl));

        assertEquals("completed", batch.get("status").asText(), batch.toString());
        assertEquals(2, batch.get("request_counts").get("completed").asInt(), batch.toString());
        JsonNode big = client.lines(batch.get("output_file_id").asText()).stream()
                .filter(line -> line.get("custom_id").asText().equals("big")).findFirst().orElseThrow();
        JsonNode body = big.get("response").get("body");
        assertEquals("[emulated] big: " + "y".repeat(Responder.QUOTED_CODE_POINTS),
                body.get("choices").get(0).get("message").get("content").asText());
        // too long to tokenize: 30 M characters / 4, and the chat formula's 3 + 1 for the message, 3 for the reply
        assertEquals(7_500_007, body.get("usage").get("prompt_tokens").asLong());
    }
}
