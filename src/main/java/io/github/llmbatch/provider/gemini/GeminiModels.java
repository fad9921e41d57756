package io.github.llmbatch.provider.gemini;

/**
 * Model names as the Gemini API spells them: a bare id ({@code gemini-x-flash}) in URLs after
 * {@code models/}, the resource name ({@code models/gemini-x-flash}) in request bodies. Users may
 * write either; both are accepted.
 */
final class GeminiModels {

    private static final String PREFIX = "models/";

    private GeminiModels() {
    }

    static String bareId(String model) {
        String m = model.strip();
        return m.startsWith(PREFIX) ? m.substring(PREFIX.length()) : m;
    }

    static String resourceName(String model) {
        return PREFIX + bareId(model);
    }
}
