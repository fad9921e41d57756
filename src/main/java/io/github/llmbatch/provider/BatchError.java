package io.github.llmbatch.provider;

/** A batch-level error, e.g. {@code invalid_json_line} on line 7; {@code line} is null when not about a line. */
public record BatchError(String code, String message, Integer line) {
}
