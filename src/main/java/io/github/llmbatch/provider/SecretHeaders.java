package io.github.llmbatch.provider;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The headers that carry credentials, and the two things done with them: printing headers
 * with the values hidden, and scrubbing the values out of text a server sent back (error
 * messages sometimes echo the key they rejected).
 */
public final class SecretHeaders {

    static final String REDACTED = "[redacted]";

    private static final Set<String> NAMES = Set.of("authorization", "api-key", "x-api-key", "x-goog-api-key",
            "proxy-authorization");

    private SecretHeaders() {
    }

    static boolean isSecret(String headerName) {
        return NAMES.contains(headerName.toLowerCase(Locale.ROOT));
    }

    /** Headers as {@code name: value} pairs with credential values replaced. */
    static String redacted(HttpHeaders headers) {
        StringJoiner out = new StringJoiner(", ", "{", "}");
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            String name = header.getKey();
            for (String value : header.getValue()) {
                out.add(name + ": " + (isSecret(name) ? REDACTED : value));
            }
        }
        return out.toString();
    }

    /** The secret values in these headers; for {@code Bearer x} both the whole value and {@code x}. */
    public static List<String> secretValues(HttpHeaders headers) {
        List<String> secrets = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            if (!isSecret(header.getKey())) {
                continue;
            }
            for (String value : header.getValue()) {
                int space = value.indexOf(' ');
                if (space > 0 && space < value.length() - 1) {
                    secrets.add(value.substring(space + 1).trim());
                }
                secrets.add(value);
            }
        }
        // longest first, so a whole "Bearer x" goes before its "x"
        secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return secrets;
    }

    /** {@code text} with every secret value replaced; short values are left alone to keep text readable. */
    public static String scrub(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                out = out.replace(secret, REDACTED);
            }
        }
        return out;
    }
}
