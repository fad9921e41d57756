package io.github.llmbatch.emulator;

import java.util.List;

/**
 * The parts of one input line ({@code BatchRequestInput}) the emulator looks at.
 *
 * @param customId         null when missing or not a string
 * @param hasBody          whether {@code body} is a JSON object
 * @param model            {@code body.model}, null when missing
 * @param hasMessages      whether {@code body.messages} is an array
 * @param lastUserText     text of the last {@code user} message (text parts joined by a space), or ""
 * @param prompt           the prompt's texts, which its usage counts
 * @param embeddingInputs  {@code body.input} as texts (one per embedding input), or null when missing
 *                         or of an unsupported shape
 * @param dimensions       {@code body.dimensions}, or null
 * @param hasMaxTokens     whether {@code body.max_tokens} is there (any value), which newer models refuse
 * @param maxOutputTokens  the most output tokens the request allows ({@code max_completion_tokens} or
 *                         {@code max_tokens}), null when not given
 * @param answerSchema     the JSON Schema the answer must follow, or null for a text answer
 */
record RequestLine(String customId, String method, String url, boolean hasBody, String model, boolean hasMessages,
                   String lastUserText, Prompt prompt, List<String> embeddingInputs, Integer dimensions,
                   boolean hasMaxTokens, Integer maxOutputTokens, AnswerSchema answerSchema) {

    RequestLine(String customId, String method, String url, boolean hasBody, String model, boolean hasMessages,
                String lastUserText, Prompt prompt, List<String> embeddingInputs, Integer dimensions,
                boolean hasMaxTokens, Integer maxOutputTokens) {
        this(customId, method, url, hasBody, model, hasMessages, lastUserText, prompt, embeddingInputs,
                dimensions, hasMaxTokens, maxOutputTokens, null);
    }

    /** This request with its structured answer broken (fault {@code invalidOutput}); unchanged without a schema. */
    RequestLine withBrokenAnswer() {
        return answerSchema == null ? this : new RequestLine(customId, method, url, hasBody, model, hasMessages,
                lastUserText, prompt, embeddingInputs, dimensions, hasMaxTokens, maxOutputTokens, answerSchema.asBroken());
    }
}
