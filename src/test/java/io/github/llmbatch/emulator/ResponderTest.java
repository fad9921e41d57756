package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponderTest {

    @Test
    void chatContentQuotesTheFirst60CodePointsOfTheLastUserMessage() {
        assertEquals("[emulated] q-1: Hello", Responder.chatContent("q-1", "Hello"));
        String long70 = "x".repeat(70);
        assertEquals("[emulated] id: " + "x".repeat(60), Responder.chatContent("id", long70));
        String emoji = "😀".repeat(61); // two chars each: cut by code points, never inside a pair
        assertEquals("[emulated] id: " + "😀".repeat(60), Responder.chatContent("id", emoji));
        assertEquals("[emulated] id: ", Responder.chatContent("id", ""));
    }

    @Test
    void chatAnswerIsAChatCompletionForThatRequest() throws Exception {
        RequestLine line = parse("{\"custom_id\":\"c-9\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"m-1\",\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},"
                + "{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"second\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"part\"}]}]}}");
        Responder.Reply reply = Responder.answer("/v1/chat/completions", line);
        assertEquals(200, reply.status());
        JsonNode body = TestClient.JSON.readTree(EmulatorJson.render(reply.body()));
        assertEquals("chat.completion", body.get("object").asText());
        assertEquals("m-1", body.get("model").asText());
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.get("choices").get(0);
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals("[emulated] c-9: second part", choice.get("message").get("content").asText());
        // sys + first + ok + "second part" = 3 + 5 + 2 + 11 = 21 chars -> 6 tokens
        assertEquals(6, body.get("usage").get("prompt_tokens").asLong());
        long completion = (("[emulated] c-9: second part").length() + 3) / 4;
        assertEquals(completion, body.get("usage").get("completion_tokens").asLong());
        assertEquals(6 + completion, body.get("usage").get("total_tokens").asLong());
        assertEquals(6, reply.inputTokens());
    }

    @Test
    void chatWithoutMessagesIsA400() throws Exception {
        RequestLine line = parse("{\"custom_id\":\"c\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"m\"}}");
        Responder.Reply reply = Responder.answer("/v1/chat/completions", line);
        assertEquals(400, reply.status());
        JsonNode error = TestClient.JSON.readTree(EmulatorJson.render(reply.body())).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals("messages", error.get("param").asText());
        assertTrue(error.has("code"));
    }

    @Test
    void embeddingsAreDeterministicUnitVectorsPerInput() throws Exception {
        RequestLine line = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":[\"alpha\",\"beta\",\"alpha\"],\"dimensions\":5}}");
        Responder.Reply reply = Responder.answer("/v1/embeddings", line);
        assertEquals(200, reply.status());
        JsonNode body = TestClient.JSON.readTree(EmulatorJson.render(reply.body()));
        assertEquals("list", body.get("object").asText());
        assertEquals("emb", body.get("model").asText());
        JsonNode data = body.get("data");
        assertEquals(3, data.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("embedding", data.get(i).get("object").asText());
            assertEquals(i, data.get(i).get("index").asInt());
            assertEquals(5, data.get(i).get("embedding").size());
            double norm = 0;
            for (JsonNode component : data.get(i).get("embedding")) {
                norm += component.asDouble() * component.asDouble();
            }
            assertEquals(1.0, norm, 1e-5);
        }
        assertEquals(data.get(0).get("embedding"), data.get(2).get("embedding"));
        assertFalse(data.get(0).get("embedding").equals(data.get(1).get("embedding")));
        assertArrayEquals(Responder.vector("alpha", 5), Responder.vector("alpha", 5));
        // (5 + 3) / 4 = 2, (4 + 3) / 4 = 1, 2
        assertEquals(5, body.get("usage").get("prompt_tokens").asLong());
        assertEquals(5, body.get("usage").get("total_tokens").asLong());
    }

    @Test
    void embeddingsTakeAStringOrTokenIdsAndDefaultTo8Dimensions() throws Exception {
        RequestLine single = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":\"just one\"}}");
        assertEquals(List.of("just one"), single.embeddingInputs());
        JsonNode body = TestClient.JSON.readTree(EmulatorJson.render(Responder.answer("/v1/embeddings", single).body()));
        assertEquals(8, body.get("data").get(0).get("embedding").size());
        RequestLine tokens = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":[[1,2],[3]]}}");
        assertEquals(List.of("1,2", "3"), tokens.embeddingInputs());
        RequestLine bad = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":{\"no\":1}}}");
        assertNull(bad.embeddingInputs());
        assertEquals(400, Responder.answer("/v1/embeddings", bad).status());
    }

    private static RequestLine parse(String json) throws RequestLineParser.NotJsonObjectException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return RequestLineParser.parse(bytes, 0, bytes.length);
    }
}
