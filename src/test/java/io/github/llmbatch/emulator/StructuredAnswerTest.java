package io.github.llmbatch.emulator;

import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.GenerateContentResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.responses.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The emulator's answers to requests that ask for a schema, in each protocol's own answer shape (read
 * with the provider's SDK): JSON valid against the schema, deterministic, and broken on purpose for
 * fault {@code invalidOutput}.
 */
class StructuredAnswerTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\","
            + "\"enum\":[\"spam\",\"ham\"]},\"note\":{\"type\":\"string\"},\"score\":{\"type\":\"integer\",\"minimum\":3},"
            + "\"ratio\":{\"type\":\"number\"},\"ok\":{\"type\":\"boolean\"},\"tags\":{\"type\":\"array\",\"items\":"
            + "{\"type\":\"string\"},\"minItems\":2},\"more\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":"
            + "[\"null\",\"integer\"]}}},\"maybe\":{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"string\"}]}},"
            + "\"required\":[\"label\",\"note\",\"score\",\"ratio\",\"ok\",\"tags\",\"more\",\"maybe\"]}";
    private static final String ANSWER = "{\"label\":\"spam\",\"note\":\"[emulated] q-1\",\"score\":3,\"ratio\":0.5,"
            + "\"ok\":true,\"tags\":[\"[emulated] q-1\",\"[emulated] q-1\"],\"more\":{\"x\":1},\"maybe\":true}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static RequestLine openAi(String url, String body) throws Exception {
        byte[] line = ("{\"custom_id\":\"q-1\",\"method\":\"POST\",\"url\":\"" + url + "\",\"body\":" + body + "}")
                .getBytes(StandardCharsets.UTF_8);
        return RequestLineParser.parse(line, 0, line.length);
    }

    private static String render(Responder.Reply reply) {
        assertEquals(200, reply.status());
        return new String(EmulatorJson.render(reply.body()), StandardCharsets.UTF_8);
    }

    @Test
    void aChatCompletionWithAJsonSchemaFormatGetsJsonOfThatSchemaAsItsContent() throws Exception {
        RequestLine line = openAi("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"response_format\":{\"json_schema\":{\"schema\":" + SCHEMA + ",\"strict\":true,"
                + "\"name\":\"n\"},\"type\":\"json_schema\"}}");
        ChatCompletion completion = com.openai.core.ObjectMappers.jsonMapper().readValue(
                render(Responder.answer("/v1/chat/completions", line, prefix -> false)), ChatCompletion.class).validate();
        assertEquals(JSON.readTree(ANSWER), JSON.readTree(completion.choices().get(0).message().content().orElseThrow()));

        String broken = render(Responder.answer("/v1/chat/completions", line.withBrokenAnswer(), prefix -> false));
        String content = com.openai.core.ObjectMappers.jsonMapper().readValue(broken, ChatCompletion.class)
                .choices().get(0).message().content().orElseThrow();
        assertEquals(ANSWER.length() / 2, content.length());
        assertThrows(Exception.class, () -> JSON.readTree(content), content);
    }

    @Test
    void aResponsesRequestGetsAResponseWhoseOutputTextIsTheAnswer() throws Exception {
        RequestLine free = openAi("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"instructions\":\"be brief\","
                + "\"input\":\"Name a prime\"}");
        Response response = com.openai.core.ObjectMappers.jsonMapper().readValue(
                render(Responder.answer("/v1/responses", free, prefix -> false)), Response.class).validate();
        assertEquals("[emulated] q-1: Name a prime",
                response.output().get(0).asMessage().content().get(0).asOutputText().text());
        assertEquals(5, response.usage().orElseThrow().inputTokens()); // "be brief" + "Name a prime": 20 chars / 4

        RequestLine structured = openAi("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"text\":{"
                + "\"format\":{\"type\":\"json_schema\",\"name\":\"n\",\"schema\":" + SCHEMA + "}}}");
        Response answer = com.openai.core.ObjectMappers.jsonMapper().readValue(
                render(Responder.answer("/v1/responses", structured, prefix -> false)), Response.class).validate();
        assertEquals(JSON.readTree(ANSWER), JSON.readTree(
                answer.output().get(0).asMessage().content().get(0).asOutputText().text()));
    }

    @Test
    void aResponsesRequestWithoutInputIsRefused() throws Exception {
        assertEquals(400, Responder.answer("/v1/responses", openAi("/v1/responses", "{\"model\":\"m\"}"), prefix -> false).status());
    }

    @Test
    void geminiWithAResponseJsonSchemaGetsJsonOfThatSchemaAsItsText() throws Exception {
        byte[] bytes = ("{\"key\":\"q-1\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":" + SCHEMA
                + "}}}").getBytes(StandardCharsets.UTF_8);
        RequestLine line = GeminiRequestLineParser.parse(bytes, 0, bytes.length, "models/gemini-2.5-flash");
        GenerateContentResponse response = GenerateContentResponse.fromJson(render(GeminiResponder.generate(line, prefix -> false)));
        assertEquals(JSON.readTree(ANSWER), JSON.readTree(response.text()));
    }

    @Test
    void anthropicWithAForcedToolGetsAToolUseWhoseInputIsTheAnswer() throws Exception {
        byte[] bytes = ("{\"custom_id\":\"q-1\",\"params\":{\"model\":\"claude-haiku-4-5\",\"max_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"name\":\"other\",\"input_schema\":"
                + "{\"type\":\"object\"}},{\"name\":\"labels\",\"description\":\"d\",\"input_schema\":" + SCHEMA + "}],"
                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"labels\"}}}").getBytes(StandardCharsets.UTF_8);
        RequestLine line = AnthropicRequestLineParser.parse(bytes, 0, bytes.length);
        AnthropicBatchFormat format = new AnthropicBatchFormat(dir, null);
        Message message = com.anthropic.core.ObjectMappers.jsonMapper().readValue(
                render(format.answer(null, line)), Message.class).validate();
        var toolUse = message.content().get(0).asToolUse();
        assertEquals("labels", toolUse.name());
        assertEquals(JSON.readTree(ANSWER), JSON.valueToTree(toolUse._input()));
        assertEquals("tool_use", message.stopReason().orElseThrow().asString());

        JsonNode broken = JSON.valueToTree(com.anthropic.core.ObjectMappers.jsonMapper().readValue(
                render(format.answer(null, line.withBrokenAnswer())), Message.class).content().get(0).asToolUse()._input());
        assertEquals(1, broken.get("label").asInt(), "a string property gets a number: " + broken);
        assertEquals("[emulated] invalid output", broken.get("score").asText(), broken.toString());
    }
}
