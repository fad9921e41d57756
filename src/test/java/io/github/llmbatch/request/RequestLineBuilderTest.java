package io.github.llmbatch.request;

import io.github.llmbatch.TestJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.github.llmbatch.TestJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLineBuilderTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void chatLineHasTheDocumentedShape() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "gpt-4o-mini",
                Template.parse("You sort {{kind}}."), Template.parse("Ticket: {{subject}}"), 50, 0.2);
        byte[] line = Rendering.line(spec, "t-1", "{\"kind\":\"tickets\",\"subject\":\"Login\"}");
        assertEquals("{\"custom_id\":\"t-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You sort tickets.\"},"
                + "{\"role\":\"user\",\"content\":\"Ticket: Login\"}],\"max_completion_tokens\":50,\"temperature\":0.2}}",
                text(line));
        assertEquals(0, new RequestLineBuilder(spec, FieldSlots.of("id", spec)).inputsPerRequest());
    }

    @Test
    void optionalPartsAreLeftOut() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{sys}}"),
                Template.parse("{{q}}"), null, null);
        byte[] line = Rendering.line(spec, "a", "{\"sys\":\"S\",\"q\":\"hi\"}");
        assertEquals("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}]}}", text(line), "no max_completion_tokens, no temperature");
        RequestSpec noSystem = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse(""),
                Template.parse("{{q}}"), null, null);
        assertEquals("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}",
                text(Rendering.line(noSystem, "a", "{\"q\":\"hi\"}")), "an empty system prompt is no system message");
    }

    @Test
    void embeddingLineCarriesOneInput() {
        RequestSpec spec = new RequestSpec(Endpoint.EMBEDDINGS, "text-embedding-3-small", null,
                Template.parse("{{title}}: {{text}}"), 99, 1.0);
        byte[] line = Rendering.line(spec, "e-9", "{\"title\":\"T\",\"text\":\"body\"}");
        assertEquals("{\"custom_id\":\"e-9\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{"
                + "\"model\":\"text-embedding-3-small\",\"input\":\"T: body\"}}", text(line),
                "chat-only options do not go into an embeddings body");
        assertEquals(1, new RequestLineBuilder(spec, FieldSlots.of("id", spec)).inputsPerRequest());
    }

    @Test
    void hostileTextSurvivesAsValidJsonOnOneLine() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("<{{t}}>"), null,
                null);
        String nasty = "quote \" backslash \\ nl \n cr \r tab \t nul \u0000 ls \u2028 emoji \uD83D\uDE00 ü 中文 }{";
        String id = "id \"with\" \\ and \n";
        byte[] line = Rendering.line(spec, id, "{\"t\":" + TestJson.quote(nasty) + "}");
        for (byte x : line) {
            assertTrue(x != '\n' && x != '\r', "no raw line break in a request line");
        }
        Map<String, Object> parsed = TestJson.object(line);
        assertEquals(id, parsed.get("custom_id"));
        assertEquals("<" + nasty + ">", at(parsed, "body", "messages", 0, "content"));
        assertEquals(id, RequestLines.customIdOf(line, 0, line.length));
    }

    @Test
    void theBuilderIsReusableWithoutLeftovers() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("{{t}}"), null, null);
        FieldSlots slots = FieldSlots.of("id", spec);
        RequestLineBuilder b = new RequestLineBuilder(spec, slots);
        RecordValues values = new RecordValues(slots);
        RecordParser parser = new RecordParser(slots);
        byte[] longRecord = ("{\"t\":\"" + "x".repeat(5_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        parser.parse(longRecord, 0, longRecord.length, n -> { }, values);
        byte[] first = b.build("long", values);
        byte[] shortRecord = "{\"t\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        parser.parse(shortRecord, 0, shortRecord.length, n -> { }, values);
        byte[] second = b.build("s", values);
        assertTrue(first.length > 5_000);
        assertEquals("y", at(TestJson.parse(second), "body", "messages", 0, "content"));
        assertEquals("x".repeat(5_000), at(TestJson.parse(first), "body", "messages", 0, "content"),
                "an earlier result is not overwritten by the next build");
    }

    @Test
    void missingFieldIsReported() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{s}}"),
                Template.parse("{{q}}"), null, null);
        assertEquals("q", assertThrows(Template.MissingFieldException.class,
                () -> Rendering.line(spec, "a", "{\"s\":\"x\"}")).field());
        assertEquals("s", assertThrows(Template.MissingFieldException.class,
                () -> Rendering.line(spec, "a", "{\"q\":\"x\"}")).field());
    }

    @Test
    void requestSpecNeedsModelAndUserTemplate() {
        assertThrows(IllegalArgumentException.class,
                () -> new RequestSpec(Endpoint.CHAT_COMPLETIONS, " ", null, Template.parse("x"), null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, null, null, null));
    }

    @Test
    void customIdIsFoundWhereverItIs() {
        byte[] late = "{\"method\":\"POST\",\"body\":{\"custom_id\":\"inner\"},\"custom_id\":\"outer\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("outer", RequestLines.customIdOf(late, 0, late.length));
        for (String bad : List.of("[]", "{\"a\":1}", "{\"custom_id\":", "")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IllegalArgumentException.class, () -> RequestLines.customIdOf(b, 0, b.length), bad);
        }
    }
}
