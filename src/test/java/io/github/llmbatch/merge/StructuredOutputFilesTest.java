package io.github.llmbatch.merge;

import io.github.llmbatch.TestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Merged files of a job with a response schema: {@code parsed} in JSONL, a column per property in CSV. */
class StructuredOutputFilesTest {

    @TempDir
    Path dir;

    private static final byte[] RECORD = "{\"id\":\"a\",\"label\":\"input's\",\"parsed\":1,\"n\":2}"
            .getBytes(StandardCharsets.UTF_8);

    private static MergedRecord succeeded() {
        return new MergedRecord("a", true, "\"{\\\"label\\\": \\\"ham\\\",\\n\\\"score\\\": 3}\"", null, null, null, 1, RECORD, 0,
                RECORD.length, "{\"label\":\"ham\",\"score\":3}", Arrays.asList("ham", "3", null));
    }

    private static MergedRecord invalid() {
        return new MergedRecord("a", false, "\"{\\\"label\\\": \"", "invalid_output", "not JSON", null, 1, RECORD, 0,
                RECORD.length);
    }

    @Test
    void jsonlRecordsCarryParsedAndAnInvalidAnswerKeepsItsText() throws Exception {
        Path out = dir.resolve("out.jsonl");
        try (MergedWriter writer = MergedWriter.open(out, 0, List.of("id", "label", "parsed", "n"),
                List.of("label", "score", "extra"))) {
            writer.write(succeeded());
            writer.write(invalid());
            writer.sync();
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals("{\"id\":\"a\",\"status\":\"succeeded\",\"content\":\"{\\\"label\\\": \\\"ham\\\",\\n\\\"score\\\": 3}\","
                + "\"parsed\":{\"label\":\"ham\",\"score\":3},\"error\":null,\"usage\":null,\"attempts\":1,"
                + "\"label\":\"input's\",\"input_parsed\":1,\"n\":2}", lines.get(0));
        Map<String, Object> failed = TestJson.object(lines.get(1));
        assertEquals("{\"label\": ", failed.get("content"));
        assertEquals(null, failed.get("parsed"));
        assertEquals("invalid_output", TestJson.at(failed, "error", "code"));
    }

    @Test
    void withoutASchemaRecordsHaveNoParsed() throws Exception {
        Path out = dir.resolve("plain.jsonl");
        try (MergedWriter writer = MergedWriter.open(out, 0, List.of())) {
            writer.write(new MergedRecord("a", true, "\"x\"", null, null, null, 1, RECORD, 0, RECORD.length));
            writer.sync();
        }
        assertFalse(Files.readString(out).contains("\"parsed\":{"));
    }

    @Test
    void csvHasAColumnPerPropertyPrefixedWhenTheNameIsTaken() throws Exception {
        Path out = dir.resolve("out.csv");
        try (MergedWriter writer = MergedWriter.open(out, 0, List.of("id", "label", "parsed", "n"),
                List.of("label", "score", "status"))) {
            writer.write(succeeded());
            writer.write(invalid());
            writer.sync();
        }
        List<String> rows = Files.readAllLines(out);
        assertEquals("id,status,content,error_code,error_message,usage,attempts,parsed_label,score,parsed_status,"
                + "label,input_parsed,n", rows.get(0));
        assertEquals("a,succeeded,\"{\"\"label\"\": \"\"ham\"\",", rows.get(1));
        assertEquals("\"\"score\"\": 3}\",,,,1,ham,3,,\"input's\",1,2", rows.get(2));
        assertEquals("a,failed,\"{\"\"label\"\": \",invalid_output,\"not JSON\",,1,,,,\"input's\",1,2", rows.get(3));
    }
}
