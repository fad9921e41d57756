package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbatch.cost.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ResponderTest {

    /** A batch whose requests share no system prompt. */
    private static final Predicate<String> NO_CACHE = prefix -> false;
    /** o200k_base: what the emulator counts a model that is not OpenAI's with, like the estimate. */
    private static final Tokenizer O200K = Tokenizer.forModel("m-1");

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
        Responder.Reply reply = Responder.answer("/v1/chat/completions", line, NO_CACHE);
        assertEquals(200, reply.status());
        JsonNode body = TestClient.JSON.readTree(EmulatorJson.render(reply.body()));
        assertEquals("chat.completion", body.get("object").asText());
        assertEquals("m-1", body.get("model").asText());
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.get("choices").get(0);
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals("[emulated] c-9: second part", choice.get("message").get("content").asText());
        // OpenAI's chat formula: 3 per message + role + content, 3 priming the reply
        long prompt = 3 * 4 + O200K.count("system") + O200K.count("sys") + 2 * O200K.count("user")
                + O200K.count("first") + O200K.count("assistant") + O200K.count("ok") + O200K.count("second part") + 3;
        assertEquals(prompt, body.get("usage").get("prompt_tokens").asLong());
        long completion = O200K.count("[emulated] c-9: second part");
        assertEquals(completion, body.get("usage").get("completion_tokens").asLong());
        assertEquals(prompt + completion, body.get("usage").get("total_tokens").asLong());
        assertEquals(0, body.get("usage").get("prompt_tokens_details").get("cached_tokens").asLong());
        assertEquals(prompt, reply.inputTokens());
    }

    @Test
    void aLongSystemPromptIsCachedForTheBatchsLaterRequestsInStepsOf128() throws Exception {
        String system = "Answer in the voice of a patient librarian who checks every fact twice. ".repeat(90);
        long prefix = 3 + O200K.count("system") + O200K.count(system);
        assertTrue(prefix >= 1024 && prefix % 128 != 0, "a prefix of " + prefix + " tokens");
        java.util.Set<String> seen = new java.util.HashSet<>();
        Predicate<String> batch = p -> !seen.add(p);
        long[] cached = new long[2];
        for (int i = 0; i < 2; i++) {
            RequestLine line = parse("{\"custom_id\":\"c-" + i + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":3,\"messages\":[{\"role\":\"system\","
                    + "\"content\":\"" + system + "\"},{\"role\":\"user\",\"content\":\"question " + i + "\"}]}}");
            Responder.Reply reply = Responder.answer("/v1/chat/completions", line, batch);
            JsonNode usage = TestClient.JSON.readTree(EmulatorJson.render(reply.body())).get("usage");
            cached[i] = usage.get("prompt_tokens_details").get("cached_tokens").asLong();
            assertEquals(cached[i], reply.cachedInputTokens());
            assertEquals(3, usage.get("completion_tokens").asLong(), "at most max_completion_tokens");
        }
        assertEquals(0, cached[0], "the first request writes the cache");
        assertEquals(prefix / 128 * 128, cached[1]);
    }

    @Test
    void geminiReportsALongSharedSystemInstructionAsCachedContentWithinThePromptTokens() throws Exception {
        String system = "Answer in the voice of a patient librarian who checks every fact twice. ".repeat(90);
        java.util.Set<String> seen = new java.util.HashSet<>();
        JsonNode[] usage = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            byte[] line = ("{\"key\":\"g-" + i + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                    + "\"question " + i + "\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"" + system + "\"}]}}}")
                    .getBytes(StandardCharsets.UTF_8);
            RequestLine parsed = GeminiRequestLineParser.parse(line, 0, line.length, "models/gemini-2.5-flash");
            Responder.Reply reply = GeminiResponder.generate(parsed, p -> !seen.add(p));
            usage[i] = TestClient.JSON.readTree(EmulatorJson.render(reply.body())).get("usageMetadata");
        }
        long expected = 3 + O200K.count("user") + O200K.count("question 1") + 3 + O200K.count(system);
        assertEquals(expected, usage[1].get("promptTokenCount").asLong(), "the cached tokens are part of the prompt's");
        assertNull(usage[0].get("cachedContentTokenCount"), "the first request is not served from a cache");
        assertEquals(O200K.count(system), usage[1].get("cachedContentTokenCount").asLong());
    }

    @Test
    void chatWithoutMessagesIsA400() throws Exception {
        RequestLine line = parse("{\"custom_id\":\"c\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"m\"}}");
        Responder.Reply reply = Responder.answer("/v1/chat/completions", line, NO_CACHE);
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
        Responder.Reply reply = Responder.answer("/v1/embeddings", line, NO_CACHE);
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
        long tokens = 2 * O200K.count("alpha") + O200K.count("beta");
        assertEquals(tokens, body.get("usage").get("prompt_tokens").asLong());
        assertEquals(tokens, body.get("usage").get("total_tokens").asLong());
    }

    @Test
    void embeddingsTakeAStringOrTokenIdsAndDefaultTo8Dimensions() throws Exception {
        RequestLine single = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":\"just one\"}}");
        assertEquals(List.of("just one"), single.embeddingInputs());
        JsonNode body = TestClient.JSON.readTree(EmulatorJson.render(Responder.answer("/v1/embeddings", single, NO_CACHE).body()));
        assertEquals(8, body.get("data").get(0).get("embedding").size());
        RequestLine tokens = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":[[1,2],[3]]}}");
        assertEquals(List.of("1,2", "3"), tokens.embeddingInputs());
        RequestLine bad = parse("{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
                + "\"body\":{\"model\":\"emb\",\"input\":{\"no\":1}}}");
        assertNull(bad.embeddingInputs());
        assertEquals(400, Responder.answer("/v1/embeddings", bad, NO_CACHE).status());
    }

    private static RequestLine parse(String json) throws RequestLineParser.NotJsonObjectException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return RequestLineParser.parse(bytes, 0, bytes.length);
    }
}
