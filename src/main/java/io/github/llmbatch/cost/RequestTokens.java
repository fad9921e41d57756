package io.github.llmbatch.cost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The input tokens of one request line as built for the provider, counted the way OpenAI bills a
 * chat request (its cookbook's formula): every message costs 3 tokens plus its role's and its
 * content's tokens, and 3 more prime the reply; an embeddings request costs its input's tokens.
 *
 * <p>The line is read by its shape, not by provider: text is the string values of fields named
 * {@code content}, {@code text}, {@code input}, {@code instructions} or {@code system} (OpenAI's messages,
 * the Responses API's instructions and input,
 * Anthropic's system and content blocks, Gemini's parts), a message is an object with a
 * {@code role}. For the providers whose tokenizers are not public the result is an approximation
 * anyway ({@link Tokenizer#exact()}).
 *
 * <p>A text equal to the one at the same place in the previous line (the system prompt, mostly)
 * is not counted again. Not thread-safe.
 */
public final class RequestTokens {

    /** The cookbook's overhead of one message, and of priming the reply. */
    static final int PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;

    // a request line is as long as a shard allows: no cap on its strings
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final Set<String> TEXT_FIELDS = Set.of("content", "text", "input", "instructions", "system");

    private final Tokenizer tokenizer;
    private final List<String> lastTexts = new ArrayList<>();
    private final List<Integer> lastCounts = new ArrayList<>();

    public RequestTokens(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** @param line a request line (UTF-8 JSON), as written into a shard */
    public long count(byte[] line, int offset, int length) {
        long tokens = 0;
        int messages = 0;
        int position = 0;
        try (JsonParser parser = JSON.createParser(line, offset, length)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (t != JsonToken.VALUE_STRING) {
                    continue;
                }
                String field = fieldOf(parser.getParsingContext());
                if ("role".equals(field)) {
                    messages++;
                    tokens += PER_MESSAGE + counted(position++, parser.getText());
                } else if (field != null && TEXT_FIELDS.contains(field)) {
                    tokens += counted(position++, parser.getText());
                }
            }
        } catch (IOException e) {
            // the line was built here a moment ago; it is JSON
            throw new UncheckedIOException("cannot read a request line to count its tokens", e);
        }
        return messages == 0 ? tokens : tokens + REPLY_PRIMING;
    }

    /** The field a string value belongs to: its own, or the array's it is an element of. */
    private static String fieldOf(JsonStreamContext context) {
        if (context.inArray()) {
            JsonStreamContext parent = context.getParent();
            return parent == null ? null : parent.getCurrentName();
        }
        return context.getCurrentName();
    }

    private int counted(int position, String text) {
        if (position < lastTexts.size() && text.equals(lastTexts.get(position))) {
            return lastCounts.get(position);
        }
        int count = tokenizer.count(text);
        if (position < lastTexts.size()) {
            lastTexts.set(position, text);
            lastCounts.set(position, count);
        } else {
            lastTexts.add(text);
            lastCounts.add(count);
        }
        return count;
    }
}
