package io.github.llmbatch.request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Turns a record id into the custom_id sent to the provider. Ids the provider would refuse are
 * replaced by a derived id (a hash of the record id); the shard's records file keeps both, so
 * the merge maps results back to the record's own id.
 */
public enum CustomIdPolicy {
    /** Any non-empty id goes through unchanged (OpenAI documents no pattern for custom_id). */
    ANY {
        @Override
        public boolean accepts(String id) {
            return !id.isEmpty();
        }
    },
    /**
     * Anthropic: {@code ^[a-zA-Z0-9_-]{1,64}$}. An id shaped like a derived one is derived too, so a
     * record's own id can never be another record's derived id: only a hash collision could make two
     * records share a custom_id, and that is caught as a duplicate.
     */
    SAFE_64 {
        private final Pattern safe = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

        @Override
        public boolean accepts(String id) {
            return safe.matcher(id).matches() && !DERIVED.matcher(id).matches();
        }
    };

    private static final Pattern DERIVED = Pattern.compile("x-[0-9a-f]{32}");

    public abstract boolean accepts(String id);

    public String customIdFor(String recordId) {
        return accepts(recordId) ? recordId : derived(recordId);
    }

    // "x-" plus 128 bits of SHA-256: fits every provider's pattern; a clash with a real id is
    // caught as a duplicate custom_id like any other.
    private static String derived(String recordId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(recordId.getBytes(StandardCharsets.UTF_8));
            return "x-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
