package io.github.llmbatch.emulator;

/** The wire's clock: whole Unix seconds. */
final class UnixTime {

    private UnixTime() {
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
