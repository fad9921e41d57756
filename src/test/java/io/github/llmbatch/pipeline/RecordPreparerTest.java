package io.github.llmbatch.pipeline;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.input.InputFormat;
import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.input.InputSource;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import io.github.llmbatch.shard.RecordLines;
import io.github.llmbatch.shard.ShardLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.llmbatch.TestJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordPreparerTest {

    @TempDir
    Path dir;

    static final RequestSpec CHAT = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "gpt-4o-mini",
            Template.parse("You triage {{queue}} tickets."), Template.parse("{{subject}}\n\n{{body}}"), 100, null);
    static final ShardLimits LIMITS = new ShardLimits(50_000, 400, 50_000);

    private final RecordPreparer preparer = new RecordPreparer(CHAT, "id", new OpenAiProfile(), LIMITS);

    private static InputRecord input(long line, String text) {
        // the record sits inside a larger buffer, as it may when read
        byte[] buf = ("<<" + text + ">>").getBytes(StandardCharsets.UTF_8);
        return new InputRecord(line, buf, 2, text.getBytes(StandardCharsets.UTF_8).length);
    }

    private Prepared prepare(long line, String text) {
        return preparer.prepare(input(line, text), name -> { });
    }

    private void assertReject(long line, String text, String id, String reasonStart) {
        Prepared p = prepare(line, text);
        Prepared.Reject r = assertInstanceOf(Prepared.Reject.class, p, text);
        assertEquals(line, r.line());
        assertEquals(id, r.id(), text);
        assertTrue(r.reason().startsWith(reasonStart), text + " -> " + r.reason());
        assertEquals(text, r.input(), "the reject keeps the input as it was");
    }

    @Test
    void aGoodRecordBecomesARequestAndARecordLine() {
        String text = "{\"id\":\"T-1\",\"queue\":\"billing\",\"subject\":\"Refund\",\"body\":\"Please\",\"n\":1.10}";
        List<String> names = new ArrayList<>();
        Prepared p = preparer.prepare(input(7, text), names::add);
        Prepared.Request r = assertInstanceOf(Prepared.Request.class, p);
        assertEquals(7, r.line());
        assertEquals("T-1", r.id());
        assertEquals("T-1", r.customId());
        assertEquals(0, r.inputs());
        assertEquals(List.of("id", "queue", "subject", "body", "n"), names);

        Map<String, Object> request = TestJson.object(r.requestLine());
        assertEquals("T-1", request.get("custom_id"));
        assertEquals("/v1/chat/completions", request.get("url"));
        assertEquals("You triage billing tickets.", at(request, "body", "messages", 0, "content"));
        assertEquals("Refund\n\nPlease", at(request, "body", "messages", 1, "content"));

        RecordLines.RecordLine rec = RecordLines.decode(r.recordLine(), 0, r.recordLine().length);
        assertEquals(7, rec.line());
        assertEquals("T-1", rec.id());
        assertEquals("T-1", rec.customId());
        assertEquals(text, new String(rec.buffer(), rec.recordOffset(), rec.recordLength(), StandardCharsets.UTF_8));
    }

    @Test
    void everyRejectReasonWithLineAndId() {
        assertReject(1, "", null, "empty line");
        assertReject(2, " \t\r", null, "empty line");
        assertReject(3, "{\"id\":\"a\",", null, "not valid JSON");
        assertReject(4, "id,subject", null, "not valid JSON");
        assertReject(5, "[{\"id\":\"a\"}]", null, "not a JSON object");
        assertReject(6, "\"just a string\"", null, "not a JSON object");
        assertReject(7, "{\"id\":\"a\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"} {\"id\":\"b\"}", null,
                "unexpected content after the JSON object");
        assertReject(8, "{\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null, "missing id field 'id'");
        assertReject(9, "{\"id\":null,\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null, "missing id field 'id'");
        assertReject(10, "{\"id\":\"\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null, "missing id field 'id'");
        assertReject(11, "{\"id\":{\"k\":1},\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null,
                "id field 'id' must be a string or a number");
        assertReject(12, "{\"id\":[1],\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null,
                "id field 'id' must be a string or a number");
        assertReject(13, "{\"id\":\"a\",\"queue\":\"q\",\"body\":\"b\"}", "a", "missing field 'subject'");
        assertReject(14, "{\"id\":\"b\",\"subject\":\"s\",\"body\":\"b\"}", "b", "missing field 'queue'");
        assertReject(15, "{\"id\":\"c\",\"queue\":\"q\",\"subject\":null,\"body\":\"b\"}", "c", "missing field 'subject'");
        assertReject(16, "{\"id\":\"big\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"" + "x".repeat(400) + "\"}", "big",
                "request of ");
        assertReject(17, "{\"id\":true,\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null,
                "id field 'id' must be a string or a number");
        assertReject(18, "{\"id\":false,\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null,
                "id field 'id' must be a string or a number");
        assertReject(19, "{\"id\":\"  \",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null,
                "id field 'id' is blank");
        assertReject(20, "{\"id\":\"\\t\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}", null,
                "id field 'id' is blank");
        Prepared.Reject big = (Prepared.Reject) prepare(16,
                "{\"id\":\"big\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"" + "x".repeat(400) + "\"}");
        assertTrue(big.reason().contains("exceeds maxBytesPerFile 400"), big.reason());
    }

    @Test
    void numbersAndStringsThatLookLikeJsonAreIds() {
        Prepared.Request n = assertInstanceOf(Prepared.Request.class,
                prepare(1, "{\"id\":17,\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}"));
        assertEquals("17", n.id());
        Prepared.Request bracket = assertInstanceOf(Prepared.Request.class,
                prepare(2, "{\"id\":\"[EU] 42\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}"),
                "a string id is an id, whatever its first character");
        assertEquals("[EU] 42", bracket.id());
        Prepared.Request brace = assertInstanceOf(Prepared.Request.class,
                prepare(3, "{\"id\":\"{x}\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}"));
        assertEquals("{x}", brace.customId());
    }

    @Test
    void aRequestExactlyAtTheByteLimitIsAccepted() {
        // find the body length where request line + newline == maxBytes
        String head = "{\"id\":\"e\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"";
        int fits = -1;
        for (int len = 0; len < 400; len++) {
            Prepared p = prepare(1, head + "y".repeat(len) + "\"}");
            if (p instanceof Prepared.Request r) {
                assertTrue(r.requestLine().length + 1 <= 400);
                fits = len;
            } else {
                break;
            }
        }
        assertTrue(fits > 0);
        Prepared.Request last = (Prepared.Request) prepare(1, head + "y".repeat(fits) + "\"}");
        assertEquals(400, last.requestLine().length + 1, "the largest accepted request fills the file exactly");
    }

    @Test
    void unicodeQuotesAndNewlinesSurviveIntoTheRequest() {
        String subject = "Caf\u00e9 \"quoted\" \\ back \uD83D\uDE00 \u4e2d\u6587 \u2028";
        String body = "line1\nline2\r\n\ttabbed </script>";
        String text = "{\"id\":\"\u00fc-1\",\"queue\":\"q\",\"subject\":" + quote(subject) + ",\"body\":" + quote(body) + "}";
        Prepared.Request r = assertInstanceOf(Prepared.Request.class, prepare(1, text));
        for (byte b : r.requestLine()) {
            assertTrue(b != '\n' && b != '\r');
        }
        Map<String, Object> request = TestJson.object(r.requestLine());
        assertEquals("\u00fc-1", request.get("custom_id"));
        assertEquals(subject + "\n\n" + body, at(request, "body", "messages", 1, "content"));
    }

    @Test
    void otherIdFieldAndProviderSafeCustomIds() {
        RecordPreparer safe = new RecordPreparer(CHAT, "ticket", new FakeProfile(), LIMITS);
        Prepared.Request r = assertInstanceOf(Prepared.Request.class, safe.prepare(
                input(3, "{\"ticket\":\"A/7 x\",\"id\":\"ignored\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\"}"),
                n -> { }));
        assertEquals("A/7 x", r.id());
        assertEquals(CustomIdPolicy.SAFE_64.customIdFor("A/7 x"), r.customId());
        assertTrue(r.customId().startsWith("x-"));
        assertEquals(r.customId(), TestJson.object(r.requestLine()).get("custom_id"));
        RecordLines.RecordLine rec = RecordLines.decode(r.recordLine(), 0, r.recordLine().length);
        assertEquals("A/7 x", rec.id());
        assertEquals(r.customId(), rec.customId());
    }

    @Test
    void embeddingsCountOneInputPerRequest() {
        RequestSpec spec = new RequestSpec(Endpoint.EMBEDDINGS, "text-embedding-3-small", null,
                Template.parse("{{text}}"), null, null);
        RecordPreparer p = new RecordPreparer(spec, "id", new OpenAiProfile(), LIMITS);
        Prepared.Request r = assertInstanceOf(Prepared.Request.class,
                p.prepare(input(1, "{\"id\":\"d\",\"text\":\"hello\"}"), n -> { }));
        assertEquals(1, r.inputs());
        assertEquals("hello", at(TestJson.parse(r.requestLine()), "body", "input"));
    }

    @Test
    void csvInputThroughTheSameRules() throws IOException {
        Path csv = dir.resolve("tickets.csv");
        Files.writeString(csv, "id,queue,subject,body\n"
                + "1,billing,\"Refund, please\",\"Dear team,\nI was charged \"\"twice\"\".\"\n"
                + "2,billing,Extra,cells,here\n"
                + "3,tech,Short\n"
                + ",tech,No id,x\n"
                + "5,tech,Last,\u00fcber\n", StandardCharsets.UTF_8);
        List<Prepared> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (InputSource source = InputFormat.CSV.open(csv, null)) {
            InputRecord rec;
            while ((rec = source.next()) != null) {
                out.add(preparer.prepare(rec, names::add));
            }
        }
        assertEquals(5, out.size());
        Prepared.Request first = assertInstanceOf(Prepared.Request.class, out.get(0));
        assertEquals(2, first.line());
        assertEquals("Refund, please\n\nDear team,\nI was charged \"twice\".",
                at(TestJson.parse(first.requestLine()), "body", "messages", 1, "content"));

        Prepared.Reject tooMany = assertInstanceOf(Prepared.Reject.class, out.get(1));
        assertEquals(4, tooMany.line());
        assertEquals("row has 5 cells but the header has 4", tooMany.reason());
        assertTrue(tooMany.input().startsWith("[\""), "the row's cells are kept: " + tooMany.input());

        Prepared.Reject fewer = assertInstanceOf(Prepared.Reject.class, out.get(2));
        assertEquals(5, fewer.line());
        assertEquals("3", fewer.id());
        assertEquals("missing field 'body' used by the template", fewer.reason());

        Prepared.Reject noId = assertInstanceOf(Prepared.Reject.class, out.get(3));
        assertEquals(6, noId.line());
        assertNull(noId.id());

        Prepared.Request last = assertInstanceOf(Prepared.Request.class, out.get(4));
        assertEquals(7, last.line());
        assertEquals("5", last.id());
        assertTrue(names.containsAll(List.of("id", "queue", "subject", "body")));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"').toString();
    }
}
