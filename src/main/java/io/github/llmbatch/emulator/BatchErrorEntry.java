package io.github.llmbatch.emulator;

/** One entry of a failed batch's {@code errors.data[]} ({@code BatchError}); {@code line} is 1-based. */
record BatchErrorEntry(String code, String message, String param, Long line) {
}
