package io.github.llmbatch.emulator;

import io.github.llmbatch.cost.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a request's prompt, as its usage counts them: messages (a role and its text) and
 * texts outside messages (Anthropic's {@code system}, Gemini's {@code systemInstruction} when it has
 * no role). Tokens are counted as OpenAI bills a chat request (3 per message, its role's and its
 * text's tokens, 3 priming the reply), with the encoding of the model ({@link Tokenizer}): OpenAI's
 * own for OpenAI models, o200k_base for the others, whose tokenizers are not public, the same
 * approximation llm-batch's estimate uses.
 */
final class Prompt {

    static final int PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;
    /** OpenAI caches a prompt prefix from this many tokens on, in steps of {@link #CACHE_STEP}. */
    static final int CACHE_MINIMUM = 1024;
    static final int CACHE_STEP = 128;
    /**
     * A text longer than this is not tokenized (jtokkit takes seconds a megabyte, and no context window
     * holds it): it counts characters / 4, rounded up.
     */
    static final int MAX_TOKENIZED_CHARS = 1_000_000;

    private final List<String> roles = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final List<String> loose = new ArrayList<>();

    void message(String role, String text) {
        roles.add(role == null ? "" : role);
        texts.add(text);
    }

    void text(String text) {
        loose.add(text);
    }

    /** The first message's text when it is a system (or developer) message: the prefix requests share. */
    String systemPrefix() {
        return !roles.isEmpty() && (roles.get(0).equals("system") || roles.get(0).equals("developer"))
                ? texts.get(0) : null;
    }

    long tokens(String model) {
        Tokenizer tokenizer = Tokenizer.forModel(model);
        long tokens = 0;
        for (String text : loose) {
            tokens += count(tokenizer, text);
        }
        for (int i = 0; i < roles.size(); i++) {
            tokens += PER_MESSAGE + count(tokenizer, roles.get(i)) + count(tokenizer, texts.get(i));
        }
        return roles.isEmpty() ? tokens : tokens + REPLY_PRIMING;
    }

    /** The first text outside messages (Gemini's {@code systemInstruction}), or null. */
    String instruction() {
        return loose.isEmpty() ? null : loose.get(0);
    }

    /** The tokens of the system message, the part of the prompt that a cache may serve. */
    long prefixTokens(String model) {
        Tokenizer tokenizer = Tokenizer.forModel(model);
        return PER_MESSAGE + count(tokenizer, roles.get(0)) + count(tokenizer, texts.get(0));
    }

    static long count(Tokenizer tokenizer, String text) {
        return text.length() > MAX_TOKENIZED_CHARS ? (text.length() + 3L) / 4 : tokenizer.count(text);
    }

    /** The cached part of a prefix of this many tokens, as OpenAI reports it: 0 below 1024, else in steps of 128. */
    static long cachedOf(long prefixTokens) {
        return prefixTokens < CACHE_MINIMUM ? 0 : prefixTokens / CACHE_STEP * CACHE_STEP;
    }
}
