package io.github.llmbatch.merge;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.github.llmbatch.TestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergedWriterTest {

    @TempDir
    Path dir;

    static MergedRecord ok(String id, String content, String usage, int attempts, String record) {
        byte[] buf = ("  " + record + "  ").getBytes(StandardCharsets.UTF_8);
        return new MergedRecord(id, true, content, null, null, usage, attempts, buf, 2,
                record.getBytes(StandardCharsets.UTF_8).length);
    }

    static MergedRecord failed(String id, String code, String message, int attempts, String record) {
        byte[] buf = record.getBytes(StandardCharsets.UTF_8);
        return new MergedRecord(id, false, null, code, message, null, attempts, buf, 0, buf.length);
    }

    @Test
    void ownFieldNames() {
        assertNull(OwnFields.outputName("id"));
        assertEquals("input_status", OwnFields.outputName("status"));
        assertEquals("input_content", OwnFields.outputName("content"));
        assertEquals("input_error", OwnFields.outputName("error"));
        assertEquals("input_usage", OwnFields.outputName("usage"));
        assertEquals("input_attempts", OwnFields.outputName("attempts"));
        assertEquals("ID", OwnFields.outputName("ID"));
        assertEquals("name", OwnFields.outputName("name"));
    }

    @Test
    void jsonlFieldOrderValuesAndInputFieldsByteForByte() throws IOException {
        Path out = dir.resolve("out.jsonl");
        String record = "{ \"id\" : \"r-1\", \"status\":\"open\",\"content\":\"x\",\"n\" : 1.10 ,\"big\":1e5,"
                + "\"neg\":-0.0,\"o\":{ \"k\" : [1, {\"z\":null}] },\"s\":\"tab\\t\\\"q\\\" \\u00e9 é\","
                + "\"t\":true,\"nul\":null,\"a\\\"b\":[],\"usage\":{},\"attempts\":9,\"error\":false}";
        try (MergedWriter w = MergedWriter.open(out, 0, List.of())) {
            w.write(ok("r-1", "\"hi \\\"there\\\"\"", "{\"prompt_tokens\":3}", 2, record));
            w.write(failed("r-2", "server_error", "boom \"x\"\n", 3, "{\"n\":2}"));
            w.write(ok("r-3", "[0.25,-1.5e-3]", null, 1, "{}"));
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertEquals("{\"id\":\"r-1\",\"status\":\"succeeded\",\"content\":\"hi \\\"there\\\"\",\"error\":null,"
                + "\"usage\":{\"prompt_tokens\":3},\"attempts\":2,\"input_status\":\"open\",\"input_content\":\"x\","
                + "\"n\":1.10,\"big\":1e5,\"neg\":-0.0,\"o\":{ \"k\" : [1, {\"z\":null}] },"
                + "\"s\":\"tab\\t\\\"q\\\" \\u00e9 é\",\"t\":true,\"nul\":null,\"a\\\"b\":[],\"input_usage\":{},"
                + "\"input_attempts\":9,\"input_error\":false}", lines.get(0));
        assertEquals("{\"id\":\"r-2\",\"status\":\"failed\",\"content\":null,\"error\":{\"code\":\"server_error\","
                + "\"message\":\"boom \\\"x\\\"\\n\"},\"usage\":null,\"attempts\":3,\"n\":2}", lines.get(1));
        assertEquals("{\"id\":\"r-3\",\"status\":\"succeeded\",\"content\":[0.25,-1.5e-3],\"error\":null,"
                + "\"usage\":null,\"attempts\":1}", lines.get(2));
        for (String line : lines) {
            TestJson.parse(line); // each line is one valid JSON object without duplicate keys
        }
        assertEquals(new TestJson.Num("1.10"), TestJson.object(lines.get(0)).get("n"));
    }

    @Test
    void jsonlRestartFromAnOffsetContinuesIdentically() throws IOException {
        Path reference = dir.resolve("ref.jsonl");
        Path restarted = dir.resolve("restarted.jsonl");
        List<MergedRecord> records = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            records.add(ok("r-" + i, "\"answer " + i + "\"", null, 1, "{\"id\":\"r-" + i + "\",\"n\":" + i + "}"));
        }
        try (MergedWriter w = MergedWriter.open(reference, 0, List.of("id", "n"))) {
            for (MergedRecord r : records) {
                w.write(r);
            }
        }
        long offset;
        try (MergedWriter w = MergedWriter.open(restarted, 0, List.of("id", "n"))) {
            for (int i = 0; i < 3; i++) {
                w.write(records.get(i));
            }
            offset = w.sync();
            w.write(records.get(3)); // after the checkpoint: lost with the crash
            w.write(records.get(4));
        }
        try (MergedWriter w = MergedWriter.open(restarted, offset, List.of("id", "n"))) {
            for (int i = 3; i < 6; i++) {
                w.write(records.get(i));
            }
            assertEquals(Files.size(reference), w.sync());
        }
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(restarted));
    }

    @Test
    void csvHeaderAndRowsWithEscaping() throws IOException {
        Path out = dir.resolve("out.CSV");
        List<String> fields = List.of("id", "subject", "status", "nested", "n", "late");
        try (MergedWriter w = MergedWriter.open(out, 0, fields)) {
            w.write(ok("r-1", "\"Hello, \\\"world\\\"\\nbye\"", "{\"total_tokens\":4}", 1,
                    "{\"id\":\"r-1\",\"subject\":\"a,b \\\"c\\\"\\nd\",\"status\":\"open\",\"nested\":{\"k\":[1, 2]},"
                            + "\"n\":1.10}"));
            w.write(failed("r-2", "bad_thing", "it, failed", 2, "{\"id\":\"r-2\",\"subject\":null,\"late\":\"x\"}"));
            w.write(ok("r-3", "[0.5,-0.25]", null, 1, "{\"id\":\"r-3\",\"unknown\":\"dropped\"}"));
            w.write(ok("r-4", "null", null, 1, "{\"id\":\"r-4\"}")); // the model gave no text
        }
        List<List<String>> rows = readCsv(out);
        assertEquals(List.of("id", "status", "content", "error_code", "error_message", "usage", "attempts", "subject",
                "input_status", "nested", "n", "late"), rows.get(0));
        assertEquals(List.of("r-1", "succeeded", "Hello, \"world\"\nbye", "", "", "{\"total_tokens\":4}", "1",
                "a,b \"c\"\nd", "open", "{\"k\":[1, 2]}", "1.10", ""), rows.get(1));
        assertEquals(List.of("r-2", "failed", "", "bad_thing", "it, failed", "", "2", "", "", "", "", "x"),
                rows.get(2));
        assertEquals(List.of("r-3", "succeeded", "[0.5,-0.25]", "", "", "", "1", "", "", "", "", ""), rows.get(3));
        assertEquals(List.of("r-4", "succeeded", "", "", "", "", "1", "", "", "", "", ""), rows.get(4),
                "no content is an empty cell, not the text null");
        assertEquals(5, rows.size());
        String text = Files.readString(out);
        assertEquals("id,status,content,error_code,error_message,usage,attempts,subject,input_status,nested,n,late\n",
                text.substring(0, text.indexOf('\n') + 1));
        assertTrue(text.contains("\"a,b \"\"c\"\"\nd\""), "quotes doubled inside a quoted cell: " + text);
    }

    @Test
    void csvRestartDoesNotRepeatTheHeader() throws IOException {
        Path reference = dir.resolve("ref.csv");
        Path restarted = dir.resolve("restarted.csv");
        List<String> fields = List.of("id", "text");
        List<MergedRecord> records = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            records.add(ok("r-" + i, "\"line\\n" + i + "\"", null, 1, "{\"id\":\"r-" + i + "\",\"text\":\"t," + i + "\"}"));
        }
        try (MergedWriter w = MergedWriter.open(reference, 0, fields)) {
            for (MergedRecord r : records) {
                w.write(r);
            }
        }
        long offset;
        try (MergedWriter w = MergedWriter.open(restarted, 0, fields)) {
            w.write(records.get(0));
            w.write(records.get(1));
            offset = w.sync();
            w.write(records.get(2));
        }
        try (MergedWriter w = MergedWriter.open(restarted, offset, fields)) {
            for (int i = 2; i < 5; i++) {
                w.write(records.get(i));
            }
        }
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(restarted));
        assertEquals(6, readCsv(restarted).size());
    }

    static List<List<String>> readCsv(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CsvParser p = (CsvParser) new CsvFactory().createParser(file.toFile())) {
            p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            p.nextToken();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                List<String> row = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    row.add(p.getText());
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
