package io.github.llmbatch.provider.anthropic;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code POST /v1/messages/batches}, {@code {"requests":[line,line,…]}}, streamed from the
 * shard's request file: the prefix, the file's lines with each line break turned into a comma (the
 * last one dropped), the suffix. The file stays the unit of work and is never held in memory; each
 * retry of the call reads it again from the start.
 *
 * @param requests the file's lines: the batch's request count
 * @param bytes    the body's length, known up front so the transport can time and watch the upload
 */
record AnthropicCreateBody(Path file, long requests, long bytes) {

    private static final byte[] PREFIX = "{\"requests\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    /**
     * Reads the file once to count its lines and check the one thing the comma join needs: every line
     * non-empty and ended by {@code \n} (as the shard writer writes them).
     *
     * @throws IOException when the file is empty or shaped otherwise
     */
    static AnthropicCreateBody of(Path file) throws IOException {
        long size = 0;
        long lines = 0;
        byte previous = '\n';
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        if (previous == '\n') {
                            throw new IOException(file + ": empty line " + (lines + 1) + "; not a request file");
                        }
                        lines++;
                    }
                    previous = b;
                }
                size += n;
            }
        }
        if (lines == 0 || previous != '\n') {
            throw new IOException(file + (lines == 0 ? " holds no requests" : " does not end with a line break")
                    + "; not a request file");
        }
        return new AnthropicCreateBody(file, lines, PREFIX.length + size - 1 + SUFFIX.length);
    }

    BodyPublisher publisher() {
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(this::open), bytes);
    }

    // the JDK calls this once per send, so a retry starts from the file's first byte again
    private InputStream open() {
        try {
            InputStream lines = new CommasForLineBreaks(Files.newInputStream(file), bytes - PREFIX.length - SUFFIX.length);
            return new SequenceInputStream(Collections.enumeration(List.of(
                    new ByteArrayInputStream(PREFIX), lines, new ByteArrayInputStream(SUFFIX))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code limit} bytes of the file (all but its last line break), line breaks as commas. */
    private static final class CommasForLineBreaks extends FilterInputStream {

        private long left;

        CommasForLineBreaks(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the request file got shorter while it was sent");
            }
            for (int i = off; i < off + n; i++) {
                if (b[i] == '\n') {
                    b[i] = ',';
                }
            }
            left -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("not skippable");
        }
    }
}
