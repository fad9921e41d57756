package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.llmbatch.cost.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The emulator's deterministic stand-in for a model. It never pretends to be one: every chat answer
 * starts with {@code [emulated]}.
 *
 * <h2>{@code /v1/chat/completions}</h2>
 * A {@code chat.completion} body whose one choice has {@code finish_reason "stop"} and the assistant
 * content <pre>[emulated] CUSTOM_ID: FIRST_60</pre>
 * where CUSTOM_ID is the request's {@code custom_id} and FIRST_60 the first 60 code points of the
 * text of the LAST message with role {@code user} (content parts: their {@code text} values joined
 * by one space; no user message: empty), e.g. {@code [emulated] q-0001: Name a prime above 10.}.
 * {@code model} echoes the request. Usage is counted as OpenAI counts it ({@link Prompt}): {@code prompt_tokens}
 * by the chat formula with the model's encoding (o200k_base for a model that is not OpenAI's),
 * {@code completion_tokens} the content's tokens, at most {@code max_completion_tokens} (or {@code max_tokens});
 * {@code prompt_tokens_details.cached_tokens}: a system message of 1024 tokens or more that an earlier
 * request of the same batch had is cached, in steps of 128 tokens, as OpenAI's prompt caching reports it.
 * A request without a {@code messages} array gets a 400 answer, and so does one with {@code max_tokens}
 * for a model whose name starts with {@code o} (o1, o3, o4-mini…) or {@code gpt-5}: those models refuse
 * it with OpenAI's {@code unsupported_parameter} error (verbatim, see {@link #MAX_TOKENS_UNSUPPORTED}).
 *
 * A request with a {@code json_schema} response format is answered with JSON valid against its schema
 * ({@link AnswerSchema}) instead.
 *
 * <h2>{@code /v1/responses}</h2>
 * A {@code response} object ({@code status completed}) whose one {@code message} output item has one
 * {@code output_text} part: the same text as a chat answer to the {@code input} string (or the
 * {@code text.format} schema's JSON); usage {@code input_tokens} (from {@code instructions} and
 * {@code input}) and {@code output_tokens}, estimated the same way.
 *
 * <h2>{@code /v1/embeddings}</h2>
 * A {@code list} of {@code embedding} objects, one per input ({@code input} may be a string, an array
 * of strings, an array of token ids or an array of token-id arrays), {@code index} in input order.
 * Each vector has {@code body.dimensions} components (default {@value #DEFAULT_DIMENSIONS}, at most
 * {@value #MAX_DIMENSIONS}): uniform doubles in [-1, 1) from a {@link SplittableRandom} seeded with the
 * 64-bit FNV-1a hash of the input's UTF-8 text, scaled to unit length and written as floats; so equal
 * texts get equal vectors. {@code encoding_format} is ignored (always floats). Usage: prompt_tokens =
 * total_tokens = the inputs' tokens in the model's encoding.
 */
final class Responder {

    static final int DEFAULT_DIMENSIONS = 8;
    static final int MAX_DIMENSIONS = 4096;
    static final int QUOTED_CODE_POINTS = 60;

    /** OpenAI's message for {@code max_tokens} sent to a model that takes only {@code max_completion_tokens}. */
    static final String MAX_TOKENS_UNSUPPORTED = "Unsupported parameter: 'max_tokens' is not supported with this"
            + " model. Use 'max_completion_tokens' instead.";

    /** One answer: its HTTP status, body, and the tokens it counts for the batch's usage (cached: part of input). */
    record Reply(int status, EmulatorJson.Writer body, long inputTokens, long outputTokens, long cachedInputTokens) {

        Reply(int status, EmulatorJson.Writer body, long inputTokens, long outputTokens) {
            this(status, body, inputTokens, outputTokens, 0);
        }
    }

    private Responder() {
    }

    /**
     * @param sharedPrefix whether an earlier request of the batch had this system prompt (so it is cached);
     *                     remembers it
     */
    static Reply answer(String endpoint, RequestLine line, Predicate<String> sharedPrefix) {
        String normalised = Endpoints.normalise(endpoint);
        if (Endpoints.EMBEDDINGS.equals(normalised)) {
            return embeddings(line);
        }
        return Endpoints.RESPONSES.equals(normalised) ? responses(line) : chat(line, sharedPrefix);
    }

    /** The answer text of a request: its schema's answer when it asks for one, else {@link #chatContent}. */
    static String answerText(RequestLine line) {
        return line.answerSchema() != null ? line.answerSchema().text(line.customId())
                : chatContent(line.customId(), line.lastUserText());
    }

    /** The assistant text for a chat request. */
    static String chatContent(String customId, String lastUserText) {
        int end = lastUserText.offsetByCodePoints(0, Math.min(QUOTED_CODE_POINTS,
                lastUserText.codePointCount(0, lastUserText.length())));
        return "[emulated] " + customId + ": " + lastUserText.substring(0, end);
    }

    /** A 4xx/5xx answer with the standard error body. */
    static Reply error(int status, String message, String type, String param, String code) {
        return new Reply(status, json -> EmulatorJson.writeError(json, message, type, param, code), 0, 0);
    }

    private static Reply chat(RequestLine line, Predicate<String> sharedPrefix) {
        if (!line.hasMessages()) {
            return error(400, "[emulated] 'messages' is a required property.", "invalid_request_error", "messages",
                    null);
        }
        if (line.hasMaxTokens() && refusesMaxTokens(line.model())) {
            return error(400, MAX_TOKENS_UNSUPPORTED, "invalid_request_error", "max_tokens", "unsupported_parameter");
        }
        String content = answerText(line);
        long promptTokens = line.prompt().tokens(line.model());
        long completionTokens = outputTokens(line, content);
        String prefix = line.prompt().systemPrefix();
        long cachedTokens = prefix != null && sharedPrefix.test(prefix)
                ? Prompt.cachedOf(line.prompt().prefixTokens(line.model())) : 0;
        long created = UnixTime.now();
        String id = "chatcmpl-emulated-" + IdGenerator.requestId().substring(4);
        return new Reply(200, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("object", "chat.completion");
            json.writeNumberField("created", created);
            json.writeStringField("model", line.model());
            json.writeArrayFieldStart("choices");
            json.writeStartObject();
            json.writeNumberField("index", 0);
            json.writeObjectFieldStart("message");
            json.writeStringField("role", "assistant");
            json.writeStringField("content", content);
            json.writeNullField("refusal");
            json.writeEndObject();
            json.writeNullField("logprobs");
            json.writeStringField("finish_reason", "stop");
            json.writeEndObject();
            json.writeEndArray();
            writeUsage(json, promptTokens, completionTokens, cachedTokens);
            json.writeNullField("system_fingerprint");
            json.writeEndObject();
        }, promptTokens, completionTokens, cachedTokens);
    }

    /** A {@code response} object of the Responses API, its one message's one {@code output_text} the answer. */
    private static Reply responses(RequestLine line) {
        if (line.embeddingInputs() == null) {
            return error(400, "[emulated] Missing required parameter: 'input'.", "invalid_request_error", "input",
                    "missing_required_parameter");
        }
        String text = answerText(line);
        long inputTokens = line.prompt().tokens(line.model());
        long outputTokens = outputTokens(line, text);
        long created = UnixTime.now();
        String suffix = IdGenerator.requestId().substring(4);
        return new Reply(200, json -> {
            json.writeStartObject();
            json.writeStringField("id", "resp_emulated" + suffix);
            json.writeStringField("object", "response");
            json.writeNumberField("created_at", created);
            json.writeStringField("status", "completed");
            json.writeNullField("error");
            json.writeNullField("incomplete_details");
            // the members the spec requires; the emulator does not echo the request's settings
            json.writeNullField("instructions");
            json.writeObjectFieldStart("metadata");
            json.writeEndObject();
            json.writeBooleanField("parallel_tool_calls", true);
            json.writeNullField("temperature");
            json.writeStringField("tool_choice", "auto");
            json.writeArrayFieldStart("tools");
            json.writeEndArray();
            json.writeNullField("top_p");
            json.writeStringField("model", line.model());
            json.writeArrayFieldStart("output");
            json.writeStartObject();
            json.writeStringField("type", "message");
            json.writeStringField("id", "msg_emulated" + suffix);
            json.writeStringField("status", "completed");
            json.writeStringField("role", "assistant");
            json.writeArrayFieldStart("content");
            json.writeStartObject();
            json.writeStringField("type", "output_text");
            json.writeStringField("text", text);
            json.writeArrayFieldStart("annotations");
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            EmulatorJson.writeTokenUsage(json, inputTokens, 0, outputTokens);
            json.writeEndObject();
        }, inputTokens, outputTokens);
    }

    /** The o-series reasoning models and gpt-5 onwards accept only {@code max_completion_tokens}. */
    static boolean refusesMaxTokens(String model) {
        return model != null && (model.startsWith("o") || model.startsWith("gpt-5"));
    }

    private static void writeUsage(JsonGenerator json, long promptTokens, long completionTokens, long cachedTokens)
            throws IOException {
        json.writeObjectFieldStart("usage");
        json.writeNumberField("prompt_tokens", promptTokens);
        json.writeNumberField("completion_tokens", completionTokens);
        json.writeNumberField("total_tokens", promptTokens + completionTokens);
        json.writeObjectFieldStart("prompt_tokens_details");
        json.writeNumberField("cached_tokens", cachedTokens);
        json.writeNumberField("audio_tokens", 0);
        json.writeEndObject();
        json.writeObjectFieldStart("completion_tokens_details");
        json.writeNumberField("reasoning_tokens", 0);
        json.writeNumberField("audio_tokens", 0);
        json.writeNumberField("accepted_prediction_tokens", 0);
        json.writeNumberField("rejected_prediction_tokens", 0);
        json.writeEndObject();
        json.writeEndObject();
    }

    /** An answer's tokens in the model's encoding, at most the request's output limit. */
    static long outputTokens(RequestLine line, String answer) {
        long tokens = Prompt.count(Tokenizer.forModel(line.model()), answer);
        return line.maxOutputTokens() == null ? tokens : Math.min(tokens, line.maxOutputTokens());
    }

    /** A text's tokens in the model's encoding. */
    static long inputTokens(String model, String text) {
        return Prompt.count(Tokenizer.forModel(model), text);
    }

    private static Reply embeddings(RequestLine line) {
        List<String> inputs = line.embeddingInputs();
        if (inputs == null) {
            return error(400, "[emulated] 'input' must be a string, an array of strings, or token ids.",
                    "invalid_request_error", "input", null);
        }
        int dimensions = line.dimensions() == null ? DEFAULT_DIMENSIONS : line.dimensions();
        if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
            return error(400, "[emulated] 'dimensions' must be between 1 and " + MAX_DIMENSIONS + ".",
                    "invalid_request_error", "dimensions", null);
        }
        long promptTokens = 0;
        for (String input : inputs) {
            promptTokens += inputTokens(line.model(), input);
        }
        long tokens = promptTokens;
        return new Reply(200, json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (int i = 0; i < inputs.size(); i++) {
                json.writeStartObject();
                json.writeStringField("object", "embedding");
                json.writeNumberField("index", i);
                json.writeArrayFieldStart("embedding");
                for (float component : vector(inputs.get(i), dimensions)) {
                    json.writeNumber(component);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model", line.model());
            json.writeObjectFieldStart("usage");
            json.writeNumberField("prompt_tokens", tokens);
            json.writeNumberField("total_tokens", tokens);
            json.writeEndObject();
            json.writeEndObject();
        }, promptTokens, 0);
    }

    /** The embedding of a text: see the class description. */
    static float[] vector(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(fnv1a64(text.getBytes(StandardCharsets.UTF_8)));
        double[] raw = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            raw[i] = random.nextDouble() * 2 - 1;
            norm += raw[i] * raw[i];
        }
        norm = Math.sqrt(norm);
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (norm == 0 ? 0 : raw[i] / norm);
        }
        return vector;
    }

    private static long fnv1a64(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
