package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordParserTest {

    private static final RequestSpec SPEC = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null,
            Template.parse("{{n}}|{{f}}|{{b}}|{{s}}|{{o}}|{{a}}"), null, null);
    private static final FieldSlots SLOTS = FieldSlots.of("id", SPEC);

    private static RecordValues parse(String json, List<String> names) {
        // surround the record with other bytes: offsets into the caller's buffer must be honoured
        byte[] buf = ("garbage[" + json + "]more").getBytes(StandardCharsets.UTF_8);
        int len = json.getBytes(StandardCharsets.UTF_8).length;
        RecordValues values = new RecordValues(SLOTS);
        new RecordParser(SLOTS).parse(buf, 8, len, names::add, values);
        return values;
    }

    private static String rendered(RecordValues values) {
        com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder();
        new EscapedTemplate(SPEC.userTemplate(), SLOTS).render(values, out);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void findsWantedFieldsScalarsAsTheirJsonTextStringsStillEscaped() {
        List<String> names = new ArrayList<>();
        RecordValues v = parse("{\"id\":17,\"n\":1.10,\"f\":1e5,\"b\":true,\"s\":\"t\\u00e9\\\"x\\\"\\n\","
                + "\"gone\":null,\"o\":{\"k\":[1, \"é\"]},\"a\":[ ],\"other\":{\"s\":1}}", names);
        assertEquals("17", v.id());
        assertEquals("1.10|1e5|true|t\\u00e9\\\"x\\\"\\n|{\\\"k\\\":[1, \\\"é\\\"]}|[ ]", rendered(v),
                "strings stay escaped; nested values become escaped JSON text");
        assertEquals(List.of("id", "n", "f", "b", "s", "gone", "o", "a", "other"), names, "only top-level names");
    }

    @Test
    void oneParserFindsEachFieldWhateverOrderTheRecordsBeforeHad() {
        RecordParser parser = new RecordParser(SLOTS);
        String[] records = {
            "{\"id\":\"1\",\"n\":1,\"f\":2,\"b\":3,\"s\":\"4\",\"o\":5,\"a\":6}",
            "{\"id\":\"1\",\"n\":1,\"f\":2,\"b\":3,\"s\":\"4\",\"o\":5,\"a\":6}",
            "{\"a\":6,\"o\":5,\"s\":\"4\",\"b\":3,\"f\":2,\"n\":1,\"id\":\"1\"}",
            "{\"x0\":0,\"x1\":0,\"x2\":0,\"x3\":0,\"x4\":0,\"x5\":0,\"x6\":0,\"x7\":0,\"x8\":0,"
                    + "\"x9\":0,\"x10\":0,\"x11\":0,\"x12\":0,\"x13\":0,\"x14\":0,\"x15\":0,\"x16\":0,"
                    + "\"n\":1,\"f\":2,\"id\":\"1\",\"b\":3,\"s\":\"4\",\"a\":6,\"o\":5}",
            "{\"id\":\"1\",\"n\":1,\"f\":2,\"b\":3,\"s\":\"4\",\"o\":5,\"a\":6}",
        };
        for (String record : records) {
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            RecordValues values = new RecordValues(SLOTS);
            parser.parse(bytes, 0, bytes.length, name -> { }, values);
            assertEquals("1", values.id(), record);
            assertEquals("1|2|3|4|5|6", rendered(values), record);
        }
    }

    /**
     * Records one after the other in one array, as a JSONL source hands them on, read by one
     * parser: each record's verdict, reason, values and names must be those of the record parsed
     * alone, whatever the records around it hold.
     */
    @Test
    void aRunOfRecordsInOneArrayGivesWhatEachRecordGivesAlone() {
        String[] lines = {
            "{\"id\":\"a\",\"n\":1,\"s\":\"x\\\"y\",\"o\":{\"k\":[1,{\"z\":2}]},\"a\":[]}",
            "  {\"id\":2,\"s\":\"lead blanks\"}  \t",
            "{\"id\":\"unterminated\",\"s\":",          // the run's parser would read on into the next line
            "\"then\"}",
            "{\"id\":\"b\"}{\"id\":\"c\"}",                // two objects on one line
            "{\"id\":\"d\"} trailing",
            "[1,2]",
            "{\"id\":\"e\",\"s\":\"ok\"}",
            "{\"id\":\"f\",\"o\":{\"open\":",             // nested value running past the line
            "1}}",
            "{\"id\":\"g\",\"s\":\"unterminated string}",
            "{\"id\":\"h\",\"n\":null,\"other\":{\"s\":1}}",
            "not json at all",
            "{\"id\":\"i\",\"s\":\"last\"}",
        };
        StringBuilder all = new StringBuilder();
        int[] offsets = new int[lines.length];
        int[] lengths = new int[lines.length];
        for (int i = 0; i < lines.length; i++) {
            offsets[i] = all.toString().getBytes(StandardCharsets.UTF_8).length;
            lengths[i] = lines[i].getBytes(StandardCharsets.UTF_8).length;
            all.append(lines[i]).append('\n');
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        int runEnd = offsets[lines.length - 1] + lengths[lines.length - 1];
        RecordParser inRun = new RecordParser(SLOTS);
        int accepted = 0;
        for (int i = 0; i < lines.length; i++) {
            String expected = outcome(new RecordParser(SLOTS), lines[i].getBytes(StandardCharsets.UTF_8), 0,
                    lengths[i], lengths[i]);
            String actual = outcome(inRun, bytes, offsets[i], lengths[i], runEnd);
            assertEquals(expected, actual, "line " + (i + 1) + ": " + lines[i]);
            accepted += expected.startsWith("ok") ? 1 : 0;
        }
        assertEquals(5, accepted, "the case mixes accepted and refused records");
    }

    @Test
    void aRunOfGoodRecordsTakesOneParser() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            all.append("{\"id\":\"r").append(i).append("\",\"s\":\"v").append(i).append("\"}\n");
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        RecordParser parser = new RecordParser(SLOTS);
        int offset = 0;
        for (int i = 0; i < 100; i++) {
            int length = indexOf(bytes, (byte) '\n', offset) - offset;
            RecordValues values = new RecordValues(SLOTS);
            parser.parse(bytes, offset, length, bytes.length - 1, name -> { }, values);
            assertEquals("r" + i, values.id());
            offset += length + 1;
        }
        assertEquals(1, parser.parsersCreated());

        // the next block of the same array, right after the first: a run of its own, one parser more
        RecordParser next = new RecordParser(SLOTS);
        int half = 0;
        for (int i = 0; i < 50; i++) {
            half = indexOf(bytes, (byte) '\n', half) + 1;
        }
        offset = 0;
        for (int i = 0; i < 100; i++) {
            int length = indexOf(bytes, (byte) '\n', offset) - offset;
            RecordValues values = new RecordValues(SLOTS);
            next.parse(bytes, offset, length, i < 50 ? half - 1 : bytes.length - 1, name -> { }, values);
            assertEquals("r" + i, values.id());
            offset += length + 1;
        }
        assertEquals(2, next.parsersCreated());
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String outcome(RecordParser parser, byte[] bytes, int offset, int length, int runEnd) {
        List<String> names = new ArrayList<>();
        RecordValues values = new RecordValues(SLOTS);
        try {
            parser.parse(bytes, offset, length, runEnd, names::add, values);
        } catch (RecordParser.InvalidRecordException e) {
            return "refused: " + e.getMessage();
        }
        StringBuilder found = new StringBuilder();
        for (int slot = 0; slot < SLOTS.size(); slot++) {
            if (values.present(slot)) {
                com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder();
                new EscapedTemplate(Template.parse("{{" + SLOTS.name(slot) + "}}"), SLOTS).render(values, out);
                found.append(SLOTS.name(slot)).append('=').append(new String(out.toByteArray(), StandardCharsets.UTF_8))
                        .append(' ');
            }
        }
        return "ok id=" + values.id() + " values=" + found + "names=" + names;
    }

    @Test
    void nullAndMissingFieldsAreAbsent() {
        RecordValues v = parse("{\"id\":\"x\",\"n\":null}", new ArrayList<>());
        assertFalse(v.present(SLOTS.slotOf("n")));
        assertFalse(v.present(SLOTS.slotOf("s")));
        assertTrue(v.present(FieldSlots.ID));
        assertEquals(null, parse("{\"id\":null}", new ArrayList<>()).id());
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertReason("[1,2]", "not a JSON object");
        assertReason("\"text\"", "not a JSON object");
        assertReason("42", "not a JSON object");
        assertReason("", "not a JSON object");
        assertReason("{\"id\":1} {\"id\":2}", "unexpected content after the JSON object");
        assertReason("{\"id\":1}]", "not valid JSON");
        assertReason("{\"id\":1} x", "not valid JSON");
        assertReason("{\"id\":", "not valid JSON");
        assertReason("{id:1}", "not valid JSON");
        assertReason("{\"id\":\"a\",}", "not valid JSON");
        assertReason("{\"s\":\"unterminated}", "not valid JSON");
    }

    @Test
    void anIdMustBeAStringOrNumberAndAStringThatLooksLikeAnObjectIsOne() {
        RecordValues text = parse("{\"id\":\"[EU] 1\"}", new ArrayList<>());
        assertEquals("[EU] 1", text.id());
        assertFalse(text.idNotAStringOrNumber());
        RecordValues number = parse("{\"id\":-1.5e3}", new ArrayList<>());
        assertEquals("-1.5e3", number.id());
        assertFalse(number.idNotAStringOrNumber());
        for (String id : List.of("{\"a\":1}", "[1]", "true", "false")) {
            RecordValues values = parse("{\"id\":" + id + "}", new ArrayList<>());
            assertTrue(values.idNotAStringOrNumber(), id);
            assertNull(values.id(), id);
        }
    }

    private static void assertReason(String json, String reason) {
        RecordParser.InvalidRecordException e = assertThrows(RecordParser.InvalidRecordException.class,
                () -> parse(json, new ArrayList<>()), json);
        assertTrue(e.getMessage().startsWith(reason), json + " -> " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one-line reason: " + e.getMessage());
    }
}
