package io.github.llmbatch.shard;

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
import static org.junit.jupiter.api.Assertions.assertFalse;

class LineReaderTest {

    @TempDir
    Path dir;

    /** A line as read, with the offsets the reader reported for it. */
    record Read(String text, long lineOffset, long offsetAfter) {
    }

    private Path file(byte[] content) throws IOException {
        Path f = dir.resolve("f-" + System.nanoTime());
        Files.write(f, content);
        return f;
    }

    private Path file(String content) throws IOException {
        return file(content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Read> readAll(Path f, long from) throws IOException {
        List<Read> out = new ArrayList<>();
        try (LineReader r = new LineReader(f, from)) {
            while (r.next()) {
                String viaBuffer = new String(r.buffer(), r.start(), r.length(), StandardCharsets.UTF_8);
                String viaCopy = new String(r.line(), StandardCharsets.UTF_8);
                assertEquals(viaBuffer, viaCopy);
                out.add(new Read(viaCopy, r.lineOffset(), r.offsetAfterLine()));
            }
            assertFalse(r.next(), "stays at end of file");
        }
        return out;
    }

    @Test
    void newlineTerminatedLines() throws IOException {
        List<Read> lines = readAll(file("ab\ncde\n"), 0);
        assertEquals(List.of(new Read("ab", 0, 3), new Read("cde", 3, 7)), lines);
    }

    @Test
    void crlfTerminatorIsNotPartOfTheLine() throws IOException {
        List<Read> lines = readAll(file("ab\r\ncde\r\nf\n"), 0);
        assertEquals(List.of(new Read("ab", 0, 4), new Read("cde", 4, 9), new Read("f", 9, 11)), lines);
    }

    @Test
    void lastLineWithoutTerminatorIsStillALine() throws IOException {
        List<Read> lines = readAll(file("ab\ncd"), 0);
        assertEquals(List.of(new Read("ab", 0, 3), new Read("cd", 3, 5)), lines);
    }

    @Test
    void emptyLinesAreReturnedAsEmpty() throws IOException {
        List<Read> lines = readAll(file("\na\n\r\n\nb\n"), 0);
        assertEquals(List.of(new Read("", 0, 1), new Read("a", 1, 3), new Read("", 3, 5), new Read("", 5, 6),
                new Read("b", 6, 8)), lines);
    }

    @Test
    void emptyFileHasNoLines() throws IOException {
        assertEquals(List.of(), readAll(file(""), 0));
    }

    @Test
    void loneCarriageReturnIsKeptInsideTheLine() throws IOException {
        List<Read> lines = readAll(file("a\rb\nc\r"), 0);
        assertEquals(List.of(new Read("a\rb", 0, 4), new Read("c\r", 4, 6)), lines);
    }

    @Test
    void multibyteUtf8IsReturnedAsBytes() throws IOException {
        String text = "héllo \uD83D\uDE00 wörld\nx\n";
        List<Read> lines = readAll(file(text), 0);
        int firstBytes = "héllo \uD83D\uDE00 wörld".getBytes(StandardCharsets.UTF_8).length;
        assertEquals(List.of(new Read("héllo \uD83D\uDE00 wörld", 0, firstBytes + 1),
                new Read("x", firstBytes + 1, firstBytes + 3)), lines);
    }

    @Test
    void linesLongerThanTheBufferAreReadWhole() throws IOException {
        // 64 KiB buffer: lines of 70,000, 200,000 and exactly 65,536 bytes, mixed with short ones
        String a = "a".repeat(70_000);
        String b = "b".repeat(200_000);
        String c = "c".repeat(1 << 16);
        String content = "s\n" + a + "\r\n" + b + "\nt\n" + c + "\n" + "z".repeat(100_000);
        List<Read> lines = readAll(file(content), 0);
        assertEquals(6, lines.size());
        assertEquals("s", lines.get(0).text());
        assertEquals(a, lines.get(1).text());
        assertEquals(b, lines.get(2).text());
        assertEquals("t", lines.get(3).text());
        assertEquals(c, lines.get(4).text());
        assertEquals("z".repeat(100_000), lines.get(5).text());
        long expectedOffset = 0;
        String[] raw = {"s\n", a + "\r\n", b + "\n", "t\n", c + "\n", "z".repeat(100_000)};
        for (int i = 0; i < raw.length; i++) {
            assertEquals(expectedOffset, lines.get(i).lineOffset(), "line " + i);
            expectedOffset += raw[i].length();
            assertEquals(expectedOffset, lines.get(i).offsetAfter(), "line " + i);
        }
    }

    @Test
    void crlfSplitAcrossBufferRefillIsStillOneTerminator() throws IOException {
        // put the \r as the last byte of the first 64 KiB read and \n as the first of the next
        String first = "x".repeat((1 << 16) - 1);
        String content = first + "\r\nnext\n";
        List<Read> lines = readAll(file(content), 0);
        assertEquals(List.of(new Read(first, 0, (1 << 16) + 1), new Read("next", (1 << 16) + 1, (1 << 16) + 6)),
                lines);
    }

    @Test
    void resumingAtOffsetAfterLineReadsExactlyTheRest() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            sb.append("line-").append(i).append(" ").append("p".repeat(i % 97)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        sb.append("last-no-newline");
        Path f = file(sb.toString());
        List<Read> all = readAll(f, 0);
        assertEquals(5_001, all.size());
        for (int cut : new int[] {0, 1, 2, 999, 2_500, 4_999, 5_000}) {
            long resumeAt = all.get(cut).offsetAfter();
            List<Read> rest = readAll(f, resumeAt);
            assertEquals(all.subList(cut + 1, all.size()), rest, "resume after line " + cut);
        }
        assertEquals(Files.size(f), all.get(all.size() - 1).offsetAfter());
    }

    @Test
    void bytesAreExactlyTheFileBytes() throws IOException {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 251 == 0 ? '\n' : 'a' + i % 26);
        }
        Path f = file(content);
        List<byte[]> lines = new ArrayList<>();
        try (LineReader r = new LineReader(f, 0)) {
            while (r.next()) {
                lines.add(r.line());
            }
        }
        byte[] joined = new byte[content.length];
        int pos = 0;
        for (byte[] line : lines) {
            System.arraycopy(line, 0, joined, pos, line.length);
            pos += line.length;
            if (pos < content.length) {
                joined[pos++] = '\n';
            }
        }
        assertEquals(content.length, pos);
        assertArrayEquals(content, joined);
    }
}
