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
        RequestLineBuilder b = new RequestLineBuilder(spec);
        byte[] line = b.build("t-1", Map.of("kind", "tickets", "subject", "Login")::get);
        assertEquals("{\"custom_id\":\"t-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You sort tickets.\"},"
                + "{\"role\":\"user\",\"content\":\"Ticket: Login\"}],\"max_tokens\":50,\"temperature\":0.2}}",
                text(line));
        assertEquals(0, b.inputsPerRequest());
    }

    @Test
    void optionalPartsAreLeftOut() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{sys}}"),
                Template.parse("{{q}}"), null, null);
        byte[] line = new RequestLineBuilder(spec).build("a", Map.of("sys", "", "q", "hi")::get);
        assertEquals("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}", text(line),
                "an empty system prompt is no system message");
    }

    @Test
    void embeddingLineCarriesOneInput() {
        RequestSpec spec = new RequestSpec(Endpoint.EMBEDDINGS, "text-embedding-3-small", null,
                Template.parse("{{title}}: {{text}}"), 99, 1.0);
        RequestLineBuilder b = new RequestLineBuilder(spec);
        byte[] line = b.build("e-9", Map.of("title", "T", "text", "body")::get);
        assertEquals("{\"custom_id\":\"e-9\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{"
                + "\"model\":\"text-embedding-3-small\",\"input\":\"T: body\"}}", text(line),
                "chat-only options do not go into an embeddings body");
        assertEquals(1, b.inputsPerRequest());
    }

    @Test
    void hostileTextSurvivesAsValidJsonOnOneLine() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("<{{t}}>"), null,
                null);
        RequestLineBuilder b = new RequestLineBuilder(spec);
        String nasty = "quote \" backslash \\ nl \n cr \r tab \t nul \u0000 ls \u2028 emoji \uD83D\uDE00 ü 中文 }{";
        String id = "id \"with\" \\ and \n";
        byte[] line = b.build(id, Map.of("t", nasty)::get);
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
        RequestLineBuilder b = new RequestLineBuilder(spec);
        byte[] first = b.build("long", Map.of("t", "x".repeat(5_000))::get);
        byte[] second = b.build("s", Map.of("t", "y")::get);
        assertTrue(first.length > 5_000);
        assertEquals("y", at(TestJson.parse(second), "body", "messages", 0, "content"));
        assertEquals("x".repeat(5_000), at(TestJson.parse(first), "body", "messages", 0, "content"),
                "an earlier result is not overwritten by the next build");
    }

    @Test
    void missingFieldIsReported() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{s}}"),
                Template.parse("{{q}}"), null, null);
        RequestLineBuilder b = new RequestLineBuilder(spec);
        assertEquals("q", assertThrows(Template.MissingFieldException.class,
                () -> b.build("a", Map.of("s", "x")::get)).field());
        assertEquals("s", assertThrows(Template.MissingFieldException.class,
                () -> b.build("a", Map.of("q", "x")::get)).field());
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
