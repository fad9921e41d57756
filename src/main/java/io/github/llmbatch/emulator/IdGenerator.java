package io.github.llmbatch.emulator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes ids shaped like OpenAI's ({@code file-…}, {@code batch_…}, {@code req_…}) and Gemini's; random, so ids
 * differ per run.
 */
final class IdGenerator {

    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] LOWERCASE_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private IdGenerator() {
    }

    static String fileId() {
        return "file-" + random(22);
    }

    static String batchId() {
        return "batch_" + random(24);
    }

    /**
     * A Gemini resource id (file or batch): lowercase letters and digits, as the live API's are
     * (BATCH-PROTOCOLS.md §C.1, §C.3).
     */
    static String geminiId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[12];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = LOWERCASE_ALPHANUMERIC[random.nextInt(LOWERCASE_ALPHANUMERIC.length)];
        }
        return new String(chars);
    }

    static String requestId() {
        return "req_" + random(24);
    }

    private static String random(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
        }
        return new String(chars);
    }
}
