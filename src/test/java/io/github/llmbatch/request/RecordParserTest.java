package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordParserTest {

    private static Map<String, String> parse(RecordParser parser, String json, List<String> names) {
        // surround the record with other bytes: offsets into the caller's buffer must be honoured
        byte[] buf = ("garbage[" + json + "]more").getBytes(StandardCharsets.UTF_8);
        int len = json.getBytes(StandardCharsets.UTF_8).length;
        return parser.parse(buf, 8, len, names::add);
    }

    @Test
    void keepsOnlyWantedFieldsScalarsAsTheirJsonText() {
        RecordParser parser = new RecordParser(Set.of("id", "n", "f", "b", "s", "gone", "absent"));
        List<String> names = new ArrayList<>();
        Map<String, String> v = parse(parser,
                "{\"id\":17,\"n\":1.10,\"f\":1e5,\"b\":true,\"s\":\"t\\u00e9\\\"x\\\"\\n\",\"gone\":null,\"other\":{\"s\":1}}",
                names);
        assertEquals(Map.of("id", "17", "n", "1.10", "f", "1e5", "b", "true", "s", "té\"x\"\n"), v);
        assertEquals(List.of("id", "n", "f", "b", "s", "gone", "other"), names);
    }

    @Test
    void nestedValuesAreKeptAsTheirSourceText() {
        RecordParser parser = new RecordParser(Set.of("o", "a"));
        List<String> names = new ArrayList<>();
        Map<String, String> v = parse(parser,
                "{ \"skip\" : [1,{\"o\":2}], \"o\" : {\"k\": [1, 2.50, \"é\"], \"z\":{}} , \"a\":[ ] }", names);
        assertEquals("{\"k\": [1, 2.50, \"é\"], \"z\":{}}", v.get("o"));
        assertEquals("[ ]", v.get("a"));
        assertEquals(List.of("skip", "o", "a"), names, "only top-level names");
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        RecordParser parser = new RecordParser(Set.of("id"));
        assertReason(parser, "[1,2]", "not a JSON object");
        assertReason(parser, "\"text\"", "not a JSON object");
        assertReason(parser, "42", "not a JSON object");
        assertReason(parser, "", "not a JSON object");
        assertReason(parser, "{\"id\":1} {\"id\":2}", "unexpected content after the JSON object");
        assertReason(parser, "{\"id\":1}]", "not valid JSON");
        assertReason(parser, "{\"id\":1} x", "not valid JSON");
        assertReason(parser, "{\"id\":", "not valid JSON");
        assertReason(parser, "{id:1}", "not valid JSON");
        assertReason(parser, "{\"id\":\"a\",}", "not valid JSON");
    }

    @Test
    void scalarFieldsRefuseObjectsAndArraysButNotStringsThatLookLikeThem() {
        RecordParser parser = new RecordParser(Set.of("id", "o"), Set.of("id"));
        assertEquals(Map.of("id", "[EU] 1", "o", "{\"a\":1}"),
                parse(parser, "{\"id\":\"[EU] 1\",\"o\":{\"a\":1}}", new ArrayList<>()));
        assertReason(parser, "{\"id\":{\"a\":1}}", "field 'id' must be a string or a number");
        assertReason(parser, "{\"id\":[1]}", "field 'id' must be a string or a number");
    }

    private static void assertReason(RecordParser parser, String json, String reason) {
        RecordParser.InvalidRecordException e = assertThrows(RecordParser.InvalidRecordException.class,
                () -> parse(parser, json, new ArrayList<>()), json);
        assertTrue(e.getMessage().startsWith(reason), json + " -> " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one-line reason: " + e.getMessage());
    }
}
