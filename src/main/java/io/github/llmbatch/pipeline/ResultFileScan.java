package io.github.llmbatch.pipeline;

import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.shard.LineReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes every line of a downloaded result file. A line that does not decode (a download cut
 * short, a damaged byte) is reported with its line number instead of failing the whole file, so
 * the caller can fetch the file again and, if the damage stays, fail just that request.
 */
final class ResultFileScan {

    /** Malformed lines kept in a report; beyond that only counted (binary junk splits into many). */
    static final int MAX_REPORTED = 20;

    /**
     * A line that did not decode.
     *
     * @param line     1-based line number in the file
     * @param customId the custom_id, when it could still be read; else null
     */
    record Malformed(long line, String customId, String reason) {

        String describe(Path file) {
            return file + " line " + line + (customId == null ? " (custom_id unreadable)" : " (custom_id " + customId + ")")
                    + ": " + reason;
        }
    }

    /** @param malformedLines all malformed lines; {@code malformed} holds the first {@value #MAX_REPORTED} */
    record Report(Path file, long lines, long malformedLines, List<Malformed> malformed) {

        boolean clean() {
            return malformedLines == 0;
        }
    }

    private ResultFileScan() {
    }

    /** Decodes each non-empty line of {@code file}, handing the good ones to {@code each}. */
    static Report scan(Path file, ResultDecoder decoder, Consumer<ResultLine> each) throws IOException {
        long number = 0;
        long malformedLines = 0;
        List<Malformed> malformed = new ArrayList<>();
        try (LineReader lines = new LineReader(file, 0)) {
            while (lines.next()) {
                number++;
                if (lines.length() == 0) {
                    continue;
                }
                ResultLine line;
                try {
                    line = decoder.decode(lines.buffer(), lines.start(), lines.length());
                } catch (IllegalArgumentException e) {
                    malformedLines++;
                    if (malformed.size() < MAX_REPORTED) {
                        malformed.add(new Malformed(number,
                                customIdOrNull(decoder, lines.buffer(), lines.start(), lines.length()), e.getMessage()));
                    }
                    continue;
                }
                each.accept(line);
            }
        }
        return new Report(file, number, malformedLines, List.copyOf(malformed));
    }

    static String customIdOrNull(ResultDecoder decoder, byte[] line, int offset, int length) {
        try {
            return decoder.customIdOf(line, offset, length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The 1-based number of the line that starts at {@code offset}; read only when a line turns out bad. */
    static long lineAt(Path file, long offset) throws IOException {
        long line = 1;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            while (pos < offset) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), offset - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) == '\n') {
                        line++;
                    }
                }
                pos += n;
            }
        }
        return line;
    }
}
