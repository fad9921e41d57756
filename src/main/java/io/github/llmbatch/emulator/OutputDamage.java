package io.github.llmbatch.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a download of a batch output file is damaged on purpose (fault plan keys
 * {@code corruptOutput}, {@code truncateOutput}). Both hit the file's middle line, so with a
 * handful of lines the damage is never at a line boundary, where it would go unnoticed.
 */
enum OutputDamage {

    /** The middle line's second half becomes bytes that are not JSON (nor valid UTF-8). */
    CORRUPT {
        @Override
        byte[] apply(byte[] content) {
            int[] line = middleLine(content);
            int from = line[0] + (line[1] - line[0]) / 2;
            byte[] damaged = content.clone();
            byte[] junk = "\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1);
            for (int i = from; i < line[1]; i++) {
                damaged[i] = i - from < junk.length ? junk[i - from] : (byte) 0xFF;
            }
            return damaged;
        }
    },

    /** The content ends in the middle of the middle line. */
    TRUNCATE {
        @Override
        byte[] apply(byte[] content) {
            int[] line = middleLine(content);
            return Arrays.copyOf(content, line[0] + (line[1] - line[0]) / 2);
        }
    };

    abstract byte[] apply(byte[] content);

    /** {start, end} of the middle line, end excluding its {@code \n}. */
    private static int[] middleLine(byte[] content) {
        int lines = 0;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        int wanted = lines / 2;
        int start = 0;
        for (int seen = 0; seen < wanted; start++) {
            if (content[start] == '\n') {
                seen++;
            }
        }
        int end = start;
        while (end < content.length && content[end] != '\n') {
            end++;
        }
        return new int[] {start, end};
    }
}
