package io.github.llmbatch.emulator;

import java.util.Set;

/** The batch endpoints: which the protocol allows, which the emulator answers, and how to compare them. */
final class Endpoints {

    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";
    static final String RESPONSES = "/v1/responses";

    /** Every endpoint the newest spec allows for a batch. */
    static final Set<String> ALLOWED = Set.of(RESPONSES, CHAT, EMBEDDINGS, "/v1/completions",
            "/v1/moderations", "/v1/images/generations", "/v1/images/edits", "/v1/videos");

    /** The endpoints the emulator's responder answers. */
    static final Set<String> ANSWERED = Set.of(CHAT, RESPONSES, EMBEDDINGS);

    private Endpoints() {
    }

    /** Azure writes endpoints without {@code /v1} ({@code /chat/completions}); both mean the same. */
    static String normalise(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        return endpoint.startsWith("/v1/") ? endpoint : "/v1" + endpoint;
    }
}
