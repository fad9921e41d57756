package io.github.llmbatch.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a request file, as hex: computed while a file is written, recorded in the
 * ledger, and computed again from the file before it is uploaded.
 */
public final class Sha256 {

    private final MessageDigest digest;

    public Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java SE has it
        }
    }

    /** The hex SHA-256 of a whole file. */
    public static String of(Path file) throws IOException {
        return new Sha256().updatePrefix(file, Long.MAX_VALUE).hex();
    }

    public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    public void update(byte b) {
        digest.update(b);
    }

    /** Adds the file's first {@code bytes} bytes (all of it when it is shorter). */
    public Sha256 updatePrefix(Path file, long bytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            long left = bytes;
            int n;
            while (left > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, left))) > 0) {
                digest.update(chunk, 0, n);
                left -= n;
            }
        }
        return this;
    }

    /** The digest of everything added so far; the digest starts over afterwards. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
