package io.github.llmbatch.input;

import io.github.llmbatch.TestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputFormatTest {

    @TempDir
    Path dir;

    /** A record as read: its line number and its text. */
    record Rec(long line, String text, String problem) {
        Rec(long line, String text) {
            this(line, text, null);
        }
    }

    private static Rec rec(InputRecord r) {
        return new Rec(r.line(), new String(r.bytes(), r.offset(), r.length(), StandardCharsets.UTF_8), r.problem());
    }

    private static List<Rec> readAll(InputSource source) throws IOException {
        List<Rec> out = new ArrayList<>();
        InputRecord r;
        while ((r = source.next()) != null) {
            out.add(rec(r));
        }
        assertNull(source.next());
        return out;
    }

    private Path write(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void formatFromNameOrFileName() {
        assertEquals(InputFormat.CSV, InputFormat.of(null, Path.of("x/IN.CSV")));
        assertEquals(InputFormat.JSONL, InputFormat.of(" ", Path.of("in.jsonl")));
        assertEquals(InputFormat.JSONL, InputFormat.of(null, Path.of("in.txt")));
        assertEquals(InputFormat.CSV, InputFormat.of(" csv ", Path.of("in.jsonl")));
        assertEquals(InputFormat.JSONL, InputFormat.of("JSONL", Path.of("in.csv")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputFormat.of("xml", Path.of("in.xml")));
        assertTrue(e.getMessage().contains("inputFormat") && e.getMessage().contains("xml"), e.getMessage());
    }

    @Test
    void jsonlRecordsWithLineNumbersEmptyLinesIncluded() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "{\"id\":1}\r\n\n{\"id\":\"ü\"}\n   \n{\"id\":3}".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, 3);
        System.arraycopy(body, 0, content, 3, body.length);
        Path f = write("in.jsonl", content);
        try (InputSource s = InputFormat.JSONL.open(f, null)) {
            assertEquals(List.of(new Rec(1, "{\"id\":1}"), new Rec(2, ""), new Rec(3, "{\"id\":\"ü\"}"),
                    new Rec(4, "   "), new Rec(5, "{\"id\":3}")), readAll(s));
        }
    }

    @Test
    void jsonlResumesAfterTheCheckpointedRecord() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            sb.append("{\"id\":").append(i).append("}").append(i % 5 == 0 ? "\n\n" : "\n");
        }
        Path f = write("in.jsonl", sb.toString());
        List<Rec> all;
        try (InputSource s = InputFormat.JSONL.open(f, null)) {
            all = readAll(s);
        }
        assertEquals(60, all.size());
        for (int cut : new int[] {1, 5, 6, 33, 59, 60}) {
            Serializable checkpoint;
            try (InputSource s = InputFormat.JSONL.open(f, null)) {
                for (int i = 0; i < cut; i++) {
                    s.next();
                }
                checkpoint = s.checkpoint();
                s.next(); // read past the checkpoint: must be read again after the restart
            }
            try (InputSource s = InputFormat.JSONL.open(f, checkpoint)) {
                assertEquals(all.subList(cut, all.size()), readAll(s), "resume after " + cut);
            }
        }
    }

    @Test
    void csvRowsBecomeObjectsOfStringsWithTheLineTheyStartOn() throws IOException {
        String csv = " id , subject,body\n"
                + "1,Hello,plain\n"
                + "2,\"Comma, inside\",\"Quote \"\"here\"\"\"\n"
                + "3,Multi,\"line one\nline two\r\nline three\"\n"
                + "4,Ünïcödé,\"\"\n"
                + "5,fewer\n"
                + "6,a,b,c\n"
                + "7,last,no newline";
        Path f = write("in.csv", csv);
        List<Rec> rows;
        try (InputSource s = InputFormat.CSV.open(f, null)) {
            rows = readAll(s);
        }
        assertEquals(List.of(2L, 3L, 4L, 7L, 8L, 9L, 10L), rows.stream().map(Rec::line).toList());
        assertEquals(fields("id", "1", "subject", "Hello", "body", "plain"), TestJson.parse(rows.get(0).text()));
        assertEquals(fields("id", "2", "subject", "Comma, inside", "body", "Quote \"here\""),
                TestJson.parse(rows.get(1).text()));
        assertEquals(fields("id", "3", "subject", "Multi", "body", "line one\nline two\r\nline three"),
                TestJson.parse(rows.get(2).text()));
        assertEquals(fields("id", "4", "subject", "Ünïcödé", "body", ""), TestJson.parse(rows.get(3).text()));
        assertEquals(fields("id", "5", "subject", "fewer"), TestJson.parse(rows.get(4).text()));
        assertEquals("row has 4 cells but the header has 3", rows.get(5).problem());
        assertEquals(List.of("6", "a", "b", "c"), TestJson.parse(rows.get(5).text()), "the cells, for the reject");
        assertNull(rows.get(6).problem());
        assertEquals(fields("id", "7", "subject", "last", "body", "no newline"), TestJson.parse(rows.get(6).text()));
    }

    @Test
    void csvResumesAfterTheCheckpointedRow() throws IOException {
        String csv = "id,text\n1,\"a\nb\"\n2,c\n3,\"d\n\ne\"\n4,f\n";
        Path f = write("in.csv", csv);
        List<Rec> all;
        try (InputSource s = InputFormat.CSV.open(f, null)) {
            all = readAll(s);
        }
        assertEquals(4, all.size());
        for (int cut = 0; cut <= 4; cut++) {
            Serializable checkpoint;
            try (InputSource s = InputFormat.CSV.open(f, null)) {
                for (int i = 0; i < cut; i++) {
                    s.next();
                }
                checkpoint = s.checkpoint();
                s.next();
            }
            try (InputSource s = InputFormat.CSV.open(f, checkpoint)) {
                assertEquals(all.subList(cut, all.size()), readAll(s), "resume after " + cut);
            }
        }
    }

    @Test
    void csvWithAByteOrderMarkKeepsTheFirstColumnName() throws IOException {
        byte[] body = "id,text\n1,x\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[body.length + 3];
        content[0] = (byte) 0xEF;
        content[1] = (byte) 0xBB;
        content[2] = (byte) 0xBF;
        System.arraycopy(body, 0, content, 3, body.length);
        Path f = write("bom.csv", content);
        try (InputSource s = InputFormat.CSV.open(f, null)) {
            assertEquals(fields("id", "1", "text", "x"), TestJson.parse(rec(s.next()).text()));
        }
    }

    @Test
    void csvWithoutAHeaderIsRefused() throws IOException {
        Path f = write("empty.csv", "");
        IOException e = assertThrows(IOException.class, () -> InputFormat.CSV.open(f, null));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void csvWithADuplicateColumnNameIsRefusedNamingTheFileAndTheColumn() throws IOException {
        Path f = write("dup.csv", "id,text, text\n1,a,b\n");
        IOException e = assertThrows(IOException.class, () -> InputFormat.CSV.open(f, null));
        assertEquals(f + ": the CSV header names column 'text' twice", e.getMessage());
        Path distinct = write("distinct.csv", "id,text,Text\n1,a,b\n");
        try (InputSource source = InputFormat.CSV.open(distinct, null)) {
            assertEquals(List.of(new Rec(2, "{\"id\":\"1\",\"text\":\"a\",\"Text\":\"b\"}")), readAll(source));
        }
    }

    private static Map<String, Object> fields(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
