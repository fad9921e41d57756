package io.github.llmbatch.emulator;

import java.nio.file.Path;

/**
 * A file held by the emulator.
 *
 * @param sequence   creation order (created_at has only second resolution)
 * @param expiresAt  unix seconds, or null when the file does not expire
 */
record StoredFile(String id, long sequence, String filename, String purpose, long bytes, long createdAt,
                  Long expiresAt, Path path) {
}
