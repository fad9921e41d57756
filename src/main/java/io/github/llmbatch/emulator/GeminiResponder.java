package io.github.llmbatch.emulator;

import java.util.function.Predicate;

/**
 * The {@link Responder}'s answers in Gemini's shapes: the same deterministic text, token estimate and
 * vectors, written as a {@code GenerateContentResponse} (one candidate whose one part is the text,
 * {@code finishReason STOP}, {@code usageMetadata}; with {@code responseJsonSchema} the text is JSON valid
 * against it) or an {@code EmbedContentResponse}
 * ({@code embedding.values}). Errors are {@code google.rpc.Status} objects.
 */
final class GeminiResponder {

    private GeminiResponder() {
    }

    /** The answer to one line of a {@code batchGenerateContent} batch. */
    /**
     * @param sharedPrefix whether an earlier request of the batch had this system instruction: Gemini's
     *                     implicit caching then serves it ({@code cachedContentTokenCount}, a part of
     *                     {@code promptTokenCount}) when it has 1024 tokens or more
     */
    static Responder.Reply generate(RequestLine line, Predicate<String> sharedPrefix) {
        if (!line.hasBody()) {
            return error(400, "[emulated] Invalid request line: 'request' must be a GenerateContentRequest object.");
        }
        if (!line.hasMessages()) {
            return error(400, "[emulated] * GenerateContentRequest.contents: contents is not specified");
        }
        String text = Responder.answerText(line);
        long promptTokens = line.prompt().tokens(line.model());
        long candidateTokens = Responder.outputTokens(line, text);
        String instruction = line.prompt().instruction();
        long instructionTokens = instruction == null ? 0 : Responder.inputTokens(line.model(), instruction);
        long cachedTokens = instructionTokens >= Prompt.CACHE_MINIMUM && sharedPrefix.test(instruction)
                ? instructionTokens : 0;
        String responseId = IdGenerator.geminiId();
        return new Responder.Reply(200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("candidates");
            json.writeStartObject();
            json.writeObjectFieldStart("content");
            json.writeArrayFieldStart("parts");
            json.writeStartObject();
            json.writeStringField("text", text);
            json.writeEndObject();
            json.writeEndArray();
            json.writeStringField("role", "model");
            json.writeEndObject();
            json.writeStringField("finishReason", "STOP");
            json.writeNumberField("index", 0);
            json.writeEndObject();
            json.writeEndArray();
            json.writeObjectFieldStart("usageMetadata");
            json.writeNumberField("promptTokenCount", promptTokens);
            if (cachedTokens > 0) { // proto JSON leaves out a zero
                json.writeNumberField("cachedContentTokenCount", cachedTokens);
            }
            json.writeNumberField("candidatesTokenCount", candidateTokens);
            json.writeNumberField("totalTokenCount", promptTokens + candidateTokens);
            json.writeEndObject();
            json.writeStringField("modelVersion", bareModel(line.model()));
            json.writeStringField("responseId", responseId);
            json.writeEndObject();
        }, promptTokens, candidateTokens, cachedTokens);
    }

    /** The answer to one line of an {@code asyncBatchEmbedContent} batch. */
    static Responder.Reply embed(RequestLine line) {
        if (line.embeddingInputs() == null) {
            return error(400, "[emulated] * EmbedContentRequest.content: content is not specified");
        }
        int dimensions = line.dimensions() == null ? Responder.DEFAULT_DIMENSIONS : line.dimensions();
        if (dimensions < 1 || dimensions > Responder.MAX_DIMENSIONS) {
            return error(400, "[emulated] outputDimensionality must be between 1 and " + Responder.MAX_DIMENSIONS
                    + ".");
        }
        String text = line.embeddingInputs().get(0);
        float[] vector = Responder.vector(text, dimensions);
        return new Responder.Reply(200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("embedding");
            json.writeArrayFieldStart("values");
            for (float component : vector) {
                json.writeNumber(component);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }, Responder.inputTokens(line.model(), text), 0);
    }

    static Responder.Reply error(int status, String message) {
        return new Responder.Reply(status, json -> GoogleStatus.write(json, status, message), 0, 0);
    }

    /** {@code models/gemini-x} → {@code gemini-x}. */
    static String bareModel(String model) {
        return model != null && model.startsWith("models/") ? model.substring("models/".length()) : model;
    }
}
