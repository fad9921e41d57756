package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbatch.provider.openai.OpenAiRequestLines;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordParser;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Models that take only {@code max_completion_tokens} refuse {@code max_tokens} per request, as OpenAI does;
 * the request lines prepare builds pass.
 */
class MaxTokensTest {

    private static final String REFUSAL = "{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens' is not"
            + " supported with this model. Use 'max_completion_tokens' instead.\",\"type\":\"invalid_request_error\","
            + "\"param\":\"max_tokens\",\"code\":\"unsupported_parameter\"}}";

    private EmulatorServer emulator;
    private TestClient client;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void maxTokensIsRefusedByOSeriesAndGpt5ButTheBuiltLinesPass() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 0, 0, 0)));
        client = new TestClient(emulator.baseUrl());
        for (String model : new String[] {"o3-mini", "o4-mini", "o1", "gpt-5", "gpt-5-nano"}) {
            String jsonl = built(model, "built") + "\n" + withMaxTokens("old", model) + "\n";
            JsonNode batch = client.awaitTerminal(client.startChatBatch(jsonl));
            assertEquals("completed", batch.get("status").asText(), model);
            Map<String, JsonNode> output = byCustomId(client.lines(batch.get("output_file_id").asText()));
            Map<String, JsonNode> errors = byCustomId(client.lines(batch.get("error_file_id").asText()));
            assertEquals(200, output.get("built").get("response").get("status_code").asInt(), model);
            JsonNode refused = errors.get("old").get("response");
            assertEquals(400, refused.get("status_code").asInt(), model);
            assertEquals(TestClient.JSON.readTree(REFUSAL), refused.get("body"), model);
            assertTrue(errors.get("old").get("error").isNull());
        }
    }

    @Test
    void olderModelsStillTakeMaxTokens() throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(0, 0, 0, 0)));
        client = new TestClient(emulator.baseUrl());
        JsonNode batch = client.awaitTerminal(client.startChatBatch(withMaxTokens("a", "gpt-4o-mini") + "\n"
                + built("gpt-4o-mini", "b") + "\n"));
        assertEquals(2, batch.get("request_counts").get("completed").asInt());
        assertEquals(0, batch.get("request_counts").get("failed").asInt());
    }

    /** A line as prepare writes it, with maxTokens set. */
    private static String built(String model, String customId) {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, model, null, Template.parse("{{q}}"), 5, 0.5);
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = "{\"id\":\"x\",\"q\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        String line = new String(new OpenAiRequestLines(spec, slots).write(customId, values), StandardCharsets.UTF_8);
        assertTrue(line.contains("\"max_completion_tokens\":5"), line);
        return line;
    }

    private static String withMaxTokens(String customId, String model) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                + "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}";
    }

    private static Map<String, JsonNode> byCustomId(Iterable<JsonNode> lines) {
        Map<String, JsonNode> map = new HashMap<>();
        lines.forEach(line -> map.put(line.get("custom_id").asText(), line));
        return map;
    }
}
