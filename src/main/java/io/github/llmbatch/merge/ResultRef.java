package io.github.llmbatch.merge;

/**
 * Where one request's result line lies: in result file {@code file} (an index into the shard's
 * result files), {@code length} bytes at {@code offset}, from attempt {@code attempt}.
 */
public record ResultRef(int file, long offset, int length, int attempt) {
}
