package io.github.llmbatch.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.GenerationConfig;
import com.google.genai.types.SafetySetting;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.anthropic.models.messages.MessageCreateParams;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordParser;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestOptions;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.ResponseSchema;
import io.github.llmbatch.request.Template;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request lines of each provider with a response schema and request options, read back with the
 * provider's official SDK: its request-params types take the bodies and find the schema and the
 * options where the SDK itself would put them.
 */
class StructuredRequestSdkTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\"},"
            + "\"score\":{\"type\":\"integer\"}},\"required\":[\"label\",\"score\"],\"additionalProperties\":false}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode line(String provider, Endpoint endpoint, String options) throws Exception {
        RequestSpec spec = new RequestSpec(endpoint, "gpt-4o-mini", Template.parse("You label {{kind}}."),
                Template.parse("Label: {{text}}"), 100, 0.5, ResponseSchema.parse("labels", SCHEMA),
                RequestOptions.parse(options));
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = "{\"id\":\"r-1\",\"kind\":\"mail\",\"text\":\"Win \\\"big\\\"\"}".getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        byte[] line = ProviderProfiles.named(provider).requestLineWriter(spec, slots).write("r-1", values);
        return JSON.readTree(line);
    }

    @Test
    void openAiChatCarriesAStrictJsonSchemaFormatAndTheOptions() throws Exception {
        JsonNode body = line("openai", Endpoint.CHAT_COMPLETIONS, "{\"seed\":7,\"top_p\":0.9,\"stop\":[\"END\"]}")
                .get("body");
        ChatCompletionCreateParams.Body params = com.openai.core.ObjectMappers.jsonMapper()
                .treeToValue(body, ChatCompletionCreateParams.Body.class).validate();
        var format = params.responseFormat().orElseThrow().asJsonSchema().jsonSchema();
        assertEquals("labels", format.name());
        assertEquals(true, format.strict().orElseThrow());
        assertEquals(JSON.readTree(SCHEMA), JSON.valueToTree(format.schema().orElseThrow()._additionalProperties()));
        assertEquals(7L, params.seed().orElseThrow());
        assertEquals(0.9, params.topP().orElseThrow());
        assertEquals(List.of("END"), params.stop().orElseThrow().asStrings());
        assertEquals(100L, params.maxCompletionTokens().orElseThrow());
        assertEquals(2, params.messages().size());
    }

    @Test
    void openAiResponsesCarriesInstructionsInputAndATextFormat() throws Exception {
        JsonNode line = line("azure", Endpoint.RESPONSES, "{\"reasoning\":{\"effort\":\"low\"},\"store\":false}");
        assertEquals("/v1/responses", line.get("url").asText());
        ResponseCreateParams.Body params = com.openai.core.ObjectMappers.jsonMapper()
                .treeToValue(line.get("body"), ResponseCreateParams.Body.class).validate();
        assertEquals("You label mail.", params.instructions().orElseThrow());
        assertEquals("Label: Win \"big\"", params.input().orElseThrow().asText());
        assertEquals(100L, params.maxOutputTokens().orElseThrow());
        var format = params.text().orElseThrow().format().orElseThrow().asJsonSchema();
        assertEquals("labels", format.name());
        assertEquals(true, format.strict().orElseThrow());
        assertEquals(JSON.readTree(SCHEMA), JSON.valueToTree(format.schema()._additionalProperties()));
        assertEquals("low", params.reasoning().orElseThrow().effort().orElseThrow().asString());
        assertEquals(false, params.store().orElseThrow());
    }

    @Test
    void anthropicForcesATool() throws Exception {
        JsonNode params = line("anthropic", Endpoint.CHAT_COMPLETIONS,
                "{\"top_k\":5,\"thinking\":{\"type\":\"disabled\"}}").get("params");
        MessageCreateParams.Body body = com.anthropic.core.ObjectMappers.jsonMapper()
                .treeToValue(params, MessageCreateParams.Body.class).validate();
        var tool = body.tools().orElseThrow().get(0).asTool();
        assertEquals("labels", tool.name());
        assertTrue(tool.description().orElseThrow().contains("answer"));
        assertEquals(JSON.readTree(SCHEMA).get("properties"),
                JSON.valueToTree(tool.inputSchema().properties().orElseThrow()._additionalProperties()));
        assertEquals(List.of("label", "score"), tool.inputSchema().required().orElseThrow());
        assertEquals("labels", body.toolChoice().orElseThrow().asTool().name());
        assertEquals(5, body._additionalProperties().get("top_k").convert(Integer.class));
        assertTrue(body.thinking().orElseThrow().isDisabled());
    }

    @Test
    void geminiAsksForJsonInTheGenerationConfigItSharesWithTheOptions() throws Exception {
        JsonNode request = line("gemini", Endpoint.CHAT_COMPLETIONS, "{\"generation_config\":{\"topP\":0.25,"
                + "\"seed\":3},\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":"
                + "\"BLOCK_NONE\"}]}").get("request");
        GenerationConfig config = GenerationConfig.fromJson(request.get("generationConfig").toString());
        assertEquals("application/json", config.responseMimeType().orElseThrow());
        assertEquals(JSON.readTree(SCHEMA), JSON.valueToTree(config.responseJsonSchema().orElseThrow()));
        assertEquals(100, config.maxOutputTokens().orElseThrow());
        assertEquals(0.25f, config.topP().orElseThrow());
        assertEquals(3, config.seed().orElseThrow());
        SafetySetting safety = SafetySetting.fromJson(request.get("safetySettings").get(0).toString());
        assertEquals("BLOCK_NONE", safety.threshold().orElseThrow().toString());
    }

    @Test
    void optionsThatSetWhatTheWriterSetsAreRefusedNamingTheKey() {
        assertRefused("openai", Endpoint.CHAT_COMPLETIONS, "{\"response_format\":{\"type\":\"json_object\"}}",
                "response_format");
        assertRefused("openai", Endpoint.RESPONSES, "{\"instructions\":\"x\"}", "instructions");
        assertRefused("anthropic", Endpoint.CHAT_COMPLETIONS, "{\"max_tokens\":5}", "max_tokens");
        assertRefused("gemini", Endpoint.CHAT_COMPLETIONS, "{\"generationConfig\":{\"response_mime_type\":\"text/plain\"}}",
                "response_mime_type");
        assertRefused("gemini", Endpoint.CHAT_COMPLETIONS, "{\"system_instruction\":{}}", "system_instruction");
    }

    private static void assertRefused(String provider, Endpoint endpoint, String options, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> line(provider, endpoint, options));
        assertTrue(e.getMessage().startsWith("requestOptions sets '" + key + "', which llm-batch sets itself"),
                e.getMessage());
    }
}
