package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fault plan key {@code overloaded=REGEX} on the OpenAI routes: a 503 line the first time, then an answer. */
class OverloadedFaultTest {

    private EmulatorServer emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aMatchingRequestFailsWith503OnceThenSucceeds() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 0, 0, 0))
                .withFaults(FaultPlan.parse("overloaded=r-1")));
        TestClient client = new TestClient(emulator.baseUrl());
        JsonNode first = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(2)));
        assertEquals(1, first.get("request_counts").get("failed").asInt());
        List<JsonNode> errors = client.lines(first.get("error_file_id").asText());
        assertEquals("r-1", errors.get(0).get("custom_id").asText());
        assertEquals(503, errors.get(0).get("response").get("status_code").asInt());
        assertEquals("server_error", errors.get(0).get("response").get("body").get("error").get("type").asText());

        JsonNode retry = client.awaitTerminal(client.startChatBatch(TestClient.chatLines(2)));
        assertEquals(2, retry.get("request_counts").get("completed").asInt(), "only the first run is overloaded");
    }
}
