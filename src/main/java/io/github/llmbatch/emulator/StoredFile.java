package io.github.llmbatch.emulator;

import java.nio.file.Path;

/**
 * A file held by the emulator.
 *
 * @param sequence   creation order (created_at has only second resolution)
 * @param filename   OpenAI's file name; Gemini's display name (may be null)
 * @param expiresAt  unix seconds, or null when the file does not expire
 * @param mimeType   the declared type (Gemini), or null
 */
record StoredFile(String id, long sequence, String filename, String purpose, long bytes, long createdAt,
                  Long expiresAt, Path path, String mimeType) {
}
