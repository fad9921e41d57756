package io.github.llmbatch.cost;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestTokensTest {

    private final Tokenizer o200k = Tokenizer.forModel("gpt-4o-mini");
    private final RequestTokens tokens = new RequestTokens(o200k);

    @Test
    void aChatRequestCostsItsMessagesAsOpenAiBillsThem() {
        String system = "Classify the review as positive, neutral or negative.";
        String user = "Review of kettle (4/5): \"Boils fast\"\nLid \u00e9 loose.";
        String line = "{\"custom_id\":\"r-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":"
                + "\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"" + system + "\"},{\"role\":\"user\","
                + "\"content\":\"Review of kettle (4/5): \\\"Boils fast\\\"\\nLid \\u00e9 loose.\"}],"
                + "\"max_completion_tokens\":16}}";
        // 3 per message + role + content, 3 priming the reply
        long expected = 3 + o200k.count("system") + o200k.count(system) + 3 + o200k.count("user") + o200k.count(user)
                + 3;
        assertEquals(expected, count(line));
        assertEquals(expected, count(line), "the second time the system prompt comes from the cache: same count");
    }

    @Test
    void anEmbeddingsRequestCostsItsInputs() {
        String line = "{\"custom_id\":\"e-1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":"
                + "\"text-embedding-3-small\",\"input\":\"a blue kettle\"}}";
        assertEquals(o200k.count("a blue kettle"), count(line));
        String many = "{\"body\":{\"input\":[\"one kettle\",\"two kettles\"]}}";
        assertEquals(o200k.count("one kettle") + o200k.count("two kettles"), count(many));
    }

    @Test
    void otherShapesCountTheirTexts() {
        // Anthropic: system and content blocks; Gemini: parts
        String anthropic = "{\"custom_id\":\"a\",\"params\":{\"model\":\"claude\",\"max_tokens\":5,\"system\":\"Be brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi there\"}]}]}}";
        assertEquals(o200k.count("Be brief.") + 3 + o200k.count("user") + o200k.count("Hi there") + 3, count(anthropic));
        String gemini = "{\"key\":\"g\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi there\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]}}}";
        assertEquals(o200k.count("Be brief.") + 3 + o200k.count("user") + o200k.count("Hi there") + 3, count(gemini));
    }

    private long count(String line) {
        byte[] bytes = ("xx" + line).getBytes(StandardCharsets.UTF_8);
        return tokens.count(bytes, 2, bytes.length - 2);
    }
}
