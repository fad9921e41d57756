package io.github.llmbatch.provider.anthropic;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.provider.ProviderProfiles;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordParser;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnthropicRequestLinesTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A line as prepare builds it: the record parsed from JSON, then the writer. */
    private static byte[] line(RequestSpec spec, String customId, String recordJson) {
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = recordJson.getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        return new AnthropicProfile().requestLineWriter(spec, slots).write(customId, values);
    }

    private static RequestSpec spec(String system, Integer maxTokens, Double temperature) {
        return new RequestSpec(Endpoint.CHAT_COMPLETIONS, "claude-x", system == null ? null : Template.parse(system),
                Template.parse("Summarise: {{text}}"), maxTokens, temperature);
    }

    @Test
    void lineHasTheShapeOfSectionB1() {
        byte[] line = line(spec("Be {{tone}}.", 256, 0.3), "doc-001", "{\"tone\":\"terse\",\"text\":\"a \\\"b\\\"\\n\"}");
        assertEquals("{\"custom_id\":\"doc-001\",\"params\":{\"model\":\"claude-x\",\"max_tokens\":256,"
                + "\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise: a \\\"b\\\"\\n\"}],"
                + "\"temperature\":0.3}}", text(line));
        assertInstanceOf(java.util.Map.class, TestJson.parse(line), "valid JSON");
    }

    @Test
    void systemAndTemperatureOnlyWhenGiven() {
        assertEquals("{\"custom_id\":\"a\",\"params\":{\"model\":\"claude-x\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise: t\"}]}}",
                text(line(spec(null, 5, null), "a", "{\"text\":\"t\"}")));
        assertEquals("{\"custom_id\":\"a\",\"params\":{\"model\":\"claude-x\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise: t\"}]}}",
                text(line(spec("", 5, null), "a", "{\"text\":\"t\"}")), "an empty system prompt is none");
    }

    @Test
    void theIdIsReadBack() {
        byte[] line = line(spec("S", 5, 1.0), "x-0123456789abcdef0123456789abcdef", "{\"text\":\"t\"}");
        assertEquals("x-0123456789abcdef0123456789abcdef", new AnthropicProfile().customIdOf(line, 0, line.length));
    }

    @Test
    void aJobWithoutMaxTokensOrForEmbeddingsIsRefusedUpFront() {
        FieldSlots slots = FieldSlots.of("id", spec(null, null, null));
        IllegalArgumentException noMax = assertThrows(IllegalArgumentException.class,
                () -> new AnthropicProfile().requestLineWriter(spec(null, null, null), slots));
        assertTrue(noMax.getMessage().contains("requires maxTokens"), noMax.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AnthropicProfile().requestLineWriter(spec(null, 0, null), slots));
        IllegalArgumentException embeddings = assertThrows(IllegalArgumentException.class,
                () -> ProviderProfiles.named("anthropic").endpoint("embeddings"));
        assertTrue(embeddings.getMessage().contains("no embeddings"), embeddings.getMessage());
        assertEquals(Endpoint.CHAT_COMPLETIONS, ProviderProfiles.named("Anthropic").endpoint("chat"));
    }
}
