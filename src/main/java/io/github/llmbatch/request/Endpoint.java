package io.github.llmbatch.request;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The request kinds llm-batch builds. */
public enum Endpoint {
    CHAT_COMPLETIONS("/v1/chat/completions"),
    EMBEDDINGS("/v1/embeddings");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Accepts the path with or without {@code /v1}. */
    public static Endpoint fromPath(String value) {
        String v = value.trim();
        for (Endpoint e : values()) {
            if (e.path.equals(v) || e.path.substring(3).equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unsupported endpoint '" + value + "'; use one of "
                + Arrays.stream(values()).map(Endpoint::path).collect(Collectors.joining(", ")));
    }
}
