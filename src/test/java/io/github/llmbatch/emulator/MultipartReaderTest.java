package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static final String BOUNDARY = "xYz-123";

    @Test
    void readsFieldsAndFilePartsWithBoundaryLookalikesInside() throws IOException {
        // only CRLF + "--" + boundary ends a part; near misses are content
        byte[] content = "line one\r\n--xYz-12 short\r\nxYz-123 no dashes\r\n-xYz-123 one dash\n--xYz-123 no CR\r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = body(content);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY);
        MultipartReader.Part purpose = reader.next();
        assertEquals("purpose", purpose.name());
        assertNull(purpose.filename());
        assertEquals("batch", new String(purpose.content().readAllBytes(), StandardCharsets.UTF_8));
        MultipartReader.Part file = reader.next();
        assertEquals("file", file.name());
        assertEquals("in put.jsonl", file.filename());
        assertArrayEquals(content, file.content().readAllBytes());
        assertNull(reader.next());
    }

    @Test
    void streamsLargePartsAcrossBufferBoundariesByteForByte() throws IOException {
        byte[] content = new byte[1_000_003];
        new Random(7).nextBytes(content);
        // sprinkle partial delimiters around buffer edges
        byte[] partial = "\r\n--xYz-12".getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 65_530; at + partial.length < content.length; at += 65_536) {
            System.arraycopy(partial, 0, content, at, partial.length);
            content[at + partial.length] = 'Q'; // never the boundary's next character
        }
        MultipartReader reader = new MultipartReader(new TrickleInputStream(body(content)), BOUNDARY);
        reader.next();
        MultipartReader.Part file = reader.next();
        assertArrayEquals(content, file.content().readAllBytes());
        assertNull(reader.next());
    }

    @Test
    void skipsUnreadParts() throws IOException {
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body(new byte[200_000])), BOUNDARY);
        assertEquals("purpose", reader.next().name());
        assertEquals("file", reader.next().name());
        assertNull(reader.next());
    }

    @Test
    void rejectsTruncatedBodies() {
        byte[] full = body("abc".getBytes(StandardCharsets.UTF_8));
        byte[] truncated = java.util.Arrays.copyOf(full, full.length - 20);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(truncated), BOUNDARY);
        assertThrows(IOException.class, () -> {
            for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
                part.content().readAllBytes();
            }
        });
    }

    @Test
    void findsTheBoundaryInContentTypes() {
        assertEquals("abc", MultipartReader.boundaryOf("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartReader.boundaryOf("multipart/form-data; charset=utf-8; boundary=\"a b\""));
        assertNull(MultipartReader.boundaryOf("application/json"));
        assertNull(MultipartReader.boundaryOf(null));
        assertNull(MultipartReader.boundaryOf("multipart/form-data"));
    }

    private static byte[] body(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + "batch\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"in put.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Hands out odd-sized pieces, as a network does. */
    private static final class TrickleInputStream extends InputStream {
        private final byte[] data;
        private final Random random = new Random(3);
        private int pos;

        TrickleInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(9000)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
