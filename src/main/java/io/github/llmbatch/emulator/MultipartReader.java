package io.github.llmbatch.emulator;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body part by part without holding a part in memory: each part's
 * content is an {@link InputStream} that ends at the next boundary.
 */
final class MultipartReader {

    /** Thrown when the body is not well-formed multipart. */
    static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String message) {
            super(message);
        }
    }

    /** One part: its form-field name, the file name when it is a file, and its content. */
    record Part(String name, String filename, InputStream content) {
    }

    private static final int MAX_HEADER_LINE = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean finished;
    private PartContent current;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary has no CRLF before it; pretending one was there makes every boundary alike.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The boundary parameter of a {@code multipart/form-data} content type, or null when it is not one. */
    static String boundaryOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        String type = parseHeaderValue(contentType, params);
        if (!type.equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        String boundary = params.get("boundary");
        return boundary == null || boundary.isEmpty() ? null : boundary;
    }

    /** The next part, skipping whatever is left of the previous one; null after the last part. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            new PartContent().transferTo(OutputSink.DISCARD); // the preamble
        } else {
            current.transferTo(OutputSink.DISCARD);
        }
        if (!ensure(2)) {
            throw new MalformedMultipartException("multipart body ends after a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            pos += 2;
            drainInput();
            return null;
        }
        readLine(); // rest of the boundary line (transport padding)
        String name = null;
        String filename = null;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                Map<String, String> params = new LinkedHashMap<>();
                parseHeaderValue(line.substring(colon + 1), params);
                name = params.get("name");
                filename = params.get("filename");
            }
        }
        current = new PartContent();
        return new Part(name, filename, current);
    }

    private void drainInput() throws IOException {
        pos = lim;
        while (in.read(buf) >= 0) {
            // epilogue, ignored
        }
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = pos; i + 1 < lim; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 2;
                    return line;
                }
            }
            if (lim - pos > MAX_HEADER_LINE) {
                throw new MalformedMultipartException("multipart header line too long");
            }
            if (!fill()) {
                throw new MalformedMultipartException("multipart body ends inside part headers");
            }
        }
    }

    /** Reads more input after what is buffered; false at end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private boolean ensure(int bytes) throws IOException {
        while (lim - pos < bytes) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private int indexOfDelimiter() {
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Parses {@code type; a=b; c="d"} into the type (returned) and lower-cased parameter names. */
    private static String parseHeaderValue(String value, Map<String, String> params) {
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        int i = semicolon < 0 ? value.length() : semicolon + 1;
        while (i < value.length()) {
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            StringBuilder text = new StringBuilder();
            if (j < value.length() && value.charAt(j) == '"') {
                j++;
                while (j < value.length() && value.charAt(j) != '"') {
                    char c = value.charAt(j++);
                    if (c == '\\' && j < value.length()) {
                        c = value.charAt(j++);
                    }
                    text.append(c);
                }
                j = value.indexOf(';', j);
            } else {
                int end = value.indexOf(';', j);
                text.append(value, j, end < 0 ? value.length() : end);
                j = end;
            }
            params.putIfAbsent(key, key.endsWith("*") ? text.toString() : text.toString().trim());
            i = j < 0 ? value.length() : j + 1;
        }
        return type;
    }

    /** Writes nowhere; used to skip unread content. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink DISCARD = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** A part's content: the bytes up to the next delimiter. */
    private final class PartContent extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (lim - pos < delimiter.length || (lim - pos < buf.length / 2 && !eof)) {
                    if (!fill() && lim - pos < delimiter.length) {
                        throw new EOFException("multipart body ends without its closing boundary");
                    }
                    if (lim - pos < delimiter.length) {
                        continue;
                    }
                }
                int found = indexOfDelimiter();
                int available = found >= 0 ? found - pos : lim - pos - (delimiter.length - 1);
                if (found == pos) {
                    pos += delimiter.length;
                    done = true;
                    return -1;
                }
                if (available > 0) {
                    int n = Math.min(len, available);
                    System.arraycopy(buf, pos, target, off, n);
                    pos += n;
                    return n;
                }
                if (!fill()) {
                    throw new EOFException("multipart body ends without its closing boundary");
                }
            }
        }
    }
}
