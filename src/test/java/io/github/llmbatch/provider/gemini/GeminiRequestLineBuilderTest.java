package io.github.llmbatch.provider.gemini;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordParser;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestLines;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.github.llmbatch.TestJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiRequestLineBuilderTest {

    private static byte[] line(RequestSpec spec, String key, String recordJson) {
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = recordJson.getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        return new GeminiRequestLineBuilder(spec, slots).write(key, values);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void chatLineHasTheDocumentedShape() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "gemini-x-flash",
                Template.parse("You sort {{kind}}."), Template.parse("Ticket: {{subject}}"), 50, 0.2);
        byte[] line = line(spec, "t-1", "{\"kind\":\"tickets\",\"subject\":\"Login\"}");
        assertEquals("{\"key\":\"t-1\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Ticket: Login\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"You sort tickets.\"}]},"
                + "\"generationConfig\":{\"maxOutputTokens\":50,\"temperature\":0.2}}}", text(line));
    }

    @Test
    void optionalPartsAreLeftOut() {
        RequestSpec bare = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("{{q}}"), null, null);
        assertEquals("{\"key\":\"a\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}}",
                text(line(bare, "a", "{\"q\":\"hi\"}")));
        RequestSpec emptySystem = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse(""),
                Template.parse("{{q}}"), 7, null);
        assertEquals("{\"key\":\"a\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"generationConfig\":{\"maxOutputTokens\":7}}}", text(line(emptySystem, "a", "{\"q\":\"hi\"}")),
                "an empty system prompt is no systemInstruction");
        RequestSpec onlyTemperature = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{s}}"),
                Template.parse("{{q}}"), null, 1.0);
        assertEquals("{\"key\":\"a\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"S\"}]},\"generationConfig\":{\"temperature\":1.0}}}",
                text(line(onlyTemperature, "a", "{\"s\":\"S\",\"q\":\"hi\"}")));
    }

    @Test
    void embeddingLineCarriesTheModelAndOneContent() {
        RequestSpec spec = new RequestSpec(Endpoint.EMBEDDINGS, "gemini-embedding-001", Template.parse("ignored"),
                Template.parse("{{title}}: {{text}}"), 99, 1.0);
        byte[] line = line(spec, "e-9", "{\"title\":\"T\",\"text\":\"body\"}");
        assertEquals("{\"key\":\"e-9\",\"request\":{\"model\":\"models/gemini-embedding-001\","
                + "\"content\":{\"parts\":[{\"text\":\"T: body\"}]}}}", text(line),
                "chat-only options do not go into an embeddings request");
        RequestSpec prefixed = new RequestSpec(Endpoint.EMBEDDINGS, "models/gemini-embedding-001", null,
                Template.parse("x"), null, null);
        assertTrue(text(line(prefixed, "e", "{}")).contains("\"model\":\"models/gemini-embedding-001\""));
    }

    @Test
    void hostileTextSurvivesAsValidJsonOnOneLine() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("sys {{t}}"),
                Template.parse("<{{t}}>"), null, null);
        String nasty = "quote \" backslash \\ nl \n cr \r tab \t nul \u0000 ls \u2028 emoji \uD83D\uDE00 ü 中文 }{";
        String key = "id \"with\" \\ and \n ü";
        byte[] line = line(spec, key, "{\"t\":" + TestJson.quote(nasty) + "}");
        for (byte x : line) {
            assertTrue(x != '\n' && x != '\r', "no raw line break in a request line");
        }
        Map<String, Object> parsed = TestJson.object(line);
        assertEquals(key, parsed.get("key"));
        assertEquals("<" + nasty + ">", at(parsed, "request", "contents", 0, "parts", 0, "text"));
        assertEquals("user", at(parsed, "request", "contents", 0, "role"));
        assertEquals("sys " + nasty, at(parsed, "request", "systemInstruction", "parts", 0, "text"));
        assertEquals(key, RequestLines.idOf(line, 0, line.length, "key"));
    }

    @Test
    void nestedValuesBecomeJsonText() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("{{o}}"), null, null);
        byte[] line = line(spec, "n", "{\"o\":{\"a\":[1,\"x\\\"y\"]}}");
        assertEquals("{\"a\":[1,\"x\\\"y\"]}", at(TestJson.parse(line), "request", "contents", 0, "parts", 0, "text"));
    }

    @Test
    void theBuilderIsReusableWithoutLeftovers() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("{{t}}"), null, null);
        FieldSlots slots = FieldSlots.of("id", spec);
        GeminiRequestLineBuilder builder = new GeminiRequestLineBuilder(spec, slots);
        RecordValues values = new RecordValues(slots);
        RecordParser parser = new RecordParser(slots);
        byte[] longRecord = ("{\"t\":\"" + "x".repeat(5_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        parser.parse(longRecord, 0, longRecord.length, n -> { }, values);
        byte[] first = builder.write("long", values);
        byte[] shortRecord = "{\"t\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        parser.parse(shortRecord, 0, shortRecord.length, n -> { }, values);
        byte[] second = builder.write("s", values);
        assertEquals("y", at(TestJson.parse(second), "request", "contents", 0, "parts", 0, "text"));
        assertEquals("x".repeat(5_000), at(TestJson.parse(first), "request", "contents", 0, "parts", 0, "text"));
    }

    @Test
    void missingFieldIsReported() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{s}}"),
                Template.parse("{{q}}"), null, null);
        assertEquals("q", assertThrows(Template.MissingFieldException.class,
                () -> line(spec, "a", "{\"s\":\"x\"}")).field());
        assertEquals("s", assertThrows(Template.MissingFieldException.class,
                () -> line(spec, "a", "{\"q\":\"x\"}")).field());
    }

    @Test
    void keyIsFoundWhereverItIs() {
        byte[] late = "{\"request\":{\"key\":\"inner\"},\"key\":\"outer\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("outer", RequestLines.idOf(late, 0, late.length, "key"));
        byte[] inBuffer = "xx{\"key\":\"mid\",\"request\":{}}yy".getBytes(StandardCharsets.UTF_8);
        assertEquals("mid", RequestLines.idOf(inBuffer, 2, inBuffer.length - 4, "key"));
        for (String bad : List.of("[]", "{\"a\":1}", "{\"key\":", "", "{\"custom_id\":\"a\"}", "{\"key\":7}")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IllegalArgumentException.class, () -> RequestLines.idOf(b, 0, b.length, "key"), bad);
        }
    }
}
