package io.github.llmbatch.emulator;

import java.util.concurrent.ThreadLocalRandom;

/** Makes ids shaped like OpenAI's ({@code file-…}, {@code batch_…}, {@code req_…}); random, so ids differ per run. */
final class IdGenerator {

    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private IdGenerator() {
    }

    static String fileId() {
        return "file-" + random(22);
    }

    static String batchId() {
        return "batch_" + random(24);
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
