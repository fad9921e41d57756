package io.github.llmbatch.provider.openai;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordParser;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.github.llmbatch.TestJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiRequestLinesTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A line as prepare builds it: the record parsed from JSON, then the writer. */
    private static byte[] line(RequestSpec spec, String customId, String recordJson) {
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = recordJson.getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        return new OpenAiRequestLines(spec, slots).write(customId, values);
    }

    @Test
    void chatLineHasTheDocumentedShape() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "gpt-4o-mini",
                Template.parse("You sort {{kind}}."), Template.parse("Ticket: {{subject}}"), 50, 0.2);
        byte[] line = line(spec, "t-1", "{\"kind\":\"tickets\",\"subject\":\"Login\"}");
        assertEquals("{\"custom_id\":\"t-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You sort tickets.\"},"
                + "{\"role\":\"user\",\"content\":\"Ticket: Login\"}],\"max_completion_tokens\":50,\"temperature\":0.2}}",
                text(line));
    }

    @Test
    void optionalPartsAreLeftOut() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse("{{sys}}"),
                Template.parse("{{q}}"), null, null);
        byte[] line = line(spec, "a", "{\"sys\":\"S\",\"q\":\"hi\"}");
        assertEquals("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}]}}", text(line), "no max_completion_tokens, no temperature");
        RequestSpec noSystem = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", Template.parse(""),
                Template.parse("{{q}}"), null, null);
        assertEquals("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"
                + "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}",
                text(line(noSystem, "a", "{\"q\":\"hi\"}")), "an empty system prompt is no system message");
    }

    @Test
    void embeddingLineCarriesOneInput() {
        RequestSpec spec = new RequestSpec(Endpoint.EMBEDDINGS, "text-embedding-3-small", null,
                Template.parse("{{title}}: {{text}}"), 99, 1.0);
        byte[] line = line(spec, "e-9", "{\"title\":\"T\",\"text\":\"body\"}");
        assertEquals("{\"custom_id\":\"e-9\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{"
                + "\"model\":\"text-embedding-3-small\",\"input\":\"T: body\"}}", text(line),
                "chat-only options do not go into an embeddings body");
    }

    @Test
    void hostileTextSurvivesAsValidJsonOnOneLine() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("<{{t}}>"), null,
                null);
        String nasty = "quote \" backslash \\ nl \n cr \r tab \t nul \u0000 ls \u2028 emoji \uD83D\uDE00 ü 中文 }{";
        String id = "id \"with\" \\ and \n";
        byte[] line = line(spec, id, "{\"t\":" + TestJson.quote(nasty) + "}");
        for (byte x : line) {
            assertTrue(x != '\n' && x != '\r', "no raw line break in a request line");
        }
        Map<String, Object> parsed = TestJson.object(line);
        assertEquals(id, parsed.get("custom_id"));
        assertEquals("<" + nasty + ">", at(parsed, "body", "messages", 0, "content"));
        assertEquals(id, OpenAiRequestLines.customIdOf(line, 0, line.length));
    }

    @Test
    void theWriterIsReusableWithoutLeftovers() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("{{t}}"), null, null);
        FieldSlots slots = FieldSlots.of("id", spec);
        OpenAiRequestLines b = new OpenAiRequestLines(spec, slots);
        RecordValues values = new RecordValues(slots);
        RecordParser parser = new RecordParser(slots);
        byte[] longRecord = ("{\"t\":\"" + "x".repeat(5_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        parser.parse(longRecord, 0, longRecord.length, n -> { }, values);
        byte[] first = b.write("long", values);
        byte[] shortRecord = "{\"t\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        parser.parse(shortRecord, 0, shortRecord.length, n -> { }, values);
        byte[] second = b.write("s", values);
        assertTrue(first.length > 5_000);
        assertEquals("y", at(TestJson.parse(second), "body", "messages", 0, "content"));
        assertEquals("x".repeat(5_000), at(TestJson.parse(first), "body", "messages", 0, "content"),
                "an earlier result is not overwritten by the next line");
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
}
