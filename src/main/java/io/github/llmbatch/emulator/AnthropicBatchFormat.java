package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic's Message Batches (BATCH-PROTOCOLS.md §B) on the shared {@link BatchEngine}: the inline
 * requests of a create call, written to an input file by {@link AnthropicCreateRequest}, run like a file's
 * lines; every request gets one line in the one results file: {@code succeeded}, {@code errored},
 * {@code canceled} or {@code expired} (§B.4). Answers are the {@link Responder}'s text in a {@code Message}.
 *
 * <p>Where the engine ends a batch without running it (a cancel before it started, a {@code tokenLimit}
 * fault, an emulator crash), the results are made from the input when the batch is first seen ended: every
 * request {@code canceled}, or {@code errored} ({@code rate_limit_error} for the token limit, else
 * {@code api_error}); an Anthropic batch always ends with a result per request. The counts of an ended
 * batch are those of its results file; a request the fault plan dropped counts as succeeded (the engine
 * claims it done) but has no line.
 */
final class AnthropicBatchFormat implements BatchFormat {

    /** A batch's counts once it has ended. */
    record Outcome(long succeeded, long errored, long canceled, long expired) {
    }

    /** What the format keeps per batch: its size and inputs from the create call, its results once ended. */
    private static final class State {
        final long requests;
        final Path input;
        Path results;
        Outcome outcome;

        State(long requests, Path input) {
            this.requests = requests;
            this.input = input;
        }
    }

    private final Path dir;
    private final LiveStats stats;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    AnthropicBatchFormat(Path dir, LiveStats stats) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.stats = stats;
    }

    Path newInputFile() throws IOException {
        return Files.createTempFile(dir, "requests", ".jsonl");
    }

    /** Records a batch just created from {@code requests} inline requests written to {@code input}. */
    void created(EmulatedBatch batch, long requests, Path input) {
        states.put(batch.id(), new State(requests, input));
    }

    long requests(EmulatedBatch batch) {
        return states.get(batch.id()).requests;
    }

    /** The counts of an ended batch (making its results first if the engine wrote none), or null while it runs. */
    Outcome outcome(EmulatedBatch batch, EmulatedBatch.Snapshot snapshot) throws IOException {
        if (snapshot.endedAt() == null) {
            return null;
        }
        State state = states.get(batch.id());
        synchronized (state) {
            if (state.outcome == null) {
                if (state.results == null) {
                    state.results = resultsFromInput(batch, state, snapshot);
                }
                state.outcome = count(state);
            }
            return state.outcome;
        }
    }

    /** The results file of an ended batch; call {@link #outcome} first. */
    Path results(EmulatedBatch batch) {
        State state = states.get(batch.id());
        synchronized (state) {
            return state.results;
        }
    }

    /** Forgets a deleted batch and its files. */
    void delete(EmulatedBatch batch) throws IOException {
        State state = states.remove(batch.id());
        if (state != null) {
            synchronized (state) {
                Files.deleteIfExists(state.input);
                if (state.results != null) {
                    Files.deleteIfExists(state.results);
                }
            }
        }
    }

    @Override
    public InputValidator.Result validate(EmulatedBatch batch, Path input, EmulatorLimits limits) {
        // the create call has checked the requests (§B.1 refuses a bad batch with 400 at once)
        return new InputValidator.Result(requests(batch), null, List.of());
    }

    @Override
    public RequestLine parse(EmulatedBatch batch, byte[] bytes, int length)
            throws RequestLineParser.NotJsonObjectException {
        return AnthropicRequestLineParser.parse(bytes, 0, length);
    }

    /**
     * A {@code Message} with the {@link Responder}'s text, or when {@code tool_choice} forces a tool one
     * {@code tool_use} block of that tool whose input is valid against its {@code input_schema}; a request missing {@code model}, {@code messages}
     * or a {@code max_tokens} of at least 1 is errored {@code invalid_request_error} (§B.1: parameter
     * problems surface as results). {@code max_tokens} is checked, not applied: the answers are short.
     */
    @Override
    public Responder.Reply answer(EmulatedBatch batch, RequestLine line) {
        if (line.model() == null) {
            return error(400, "invalid_request_error", "model: Field required");
        }
        if (!line.hasMaxTokens()) {
            return error(400, "invalid_request_error", "max_tokens: Field required, an integer of at least 1");
        }
        if (!line.hasMessages()) {
            return error(400, "invalid_request_error", "messages: Field required");
        }
        AnswerSchema tool = line.answerSchema();
        String text = Responder.answerText(line);
        long inputTokens = line.prompt().tokens(line.model());
        long outputTokens = Responder.outputTokens(line, text);
        String id = "msg_" + IdGenerator.requestId().substring(4);
        return new Responder.Reply(200, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("type", "message");
            json.writeStringField("role", "assistant");
            json.writeStringField("model", line.model());
            json.writeArrayFieldStart("content");
            json.writeStartObject();
            if (tool == null) {
                json.writeStringField("type", "text");
                json.writeStringField("text", text);
            } else {
                json.writeStringField("type", "tool_use");
                json.writeStringField("id", "toolu_" + id.substring(4));
                json.writeStringField("name", tool.name());
                json.writeFieldName("input");
                tool.writeObject(json, line.customId());
            }
            json.writeEndObject();
            json.writeEndArray();
            json.writeStringField("stop_reason", tool == null ? "end_turn" : "tool_use");
            json.writeNullField("stop_sequence");
            json.writeObjectFieldStart("usage");
            json.writeNumberField("input_tokens", inputTokens);
            json.writeNumberField("cache_creation_input_tokens", 0);
            json.writeNumberField("cache_read_input_tokens", 0);
            json.writeNumberField("output_tokens", outputTokens);
            json.writeStringField("service_tier", "batch");
            json.writeEndObject();
            json.writeEndObject();
        }, inputTokens, outputTokens);
    }

    @Override
    public Responder.Reply injectedFailure(FaultInjector.LineFault fault) {
        return switch (fault) {
            case HTTP_400 -> error(400, "invalid_request_error",
                    "[emulated] This request was rejected by the fault plan (fail400).");
            case HTTP_429 -> error(429, "rate_limit_error", "[emulated] Number of request tokens has exceeded your"
                    + " rate limit.");
            case OVERLOADED -> error(529, "overloaded_error", "[emulated] Overloaded");
            default -> error(500, "api_error", "[emulated] Internal server error");
        };
    }

    private static Responder.Reply error(int status, String type, String message) {
        String requestId = IdGenerator.requestId();
        return new Responder.Reply(status, json -> AnthropicJson.writeErrorResponse(json, type, message, requestId),
                0, 0);
    }

    @Override
    public byte[] executedLine(RequestLine line, Responder.Reply reply) {
        if (reply.status() == 200) {
            stats.anthropicRequestSucceeded(line.customId());
        }
        return AnthropicJson.executedLine(line.customId(), reply);
    }

    /** Cancelled and expired requests have their own result types; a timed-out one is errored {@code timeout_error}. */
    @Override
    public byte[] notExecutedLine(RequestLine line, String code, String message) {
        return switch (code) {
            case "batch_cancelled" -> AnthropicJson.bareLine(line.customId(), "canceled");
            case "batch_expired" -> AnthropicJson.bareLine(line.customId(), "expired");
            default -> AnthropicJson.executedLine(line.customId(),
                    error(504, "timeout_error", "[emulated] " + message));
        };
    }

    @Override
    public boolean separateErrorFile() {
        return false;
    }

    /** Canceled and expired requests are results too (§B.4). */
    @Override
    public boolean keepsUnfinishedResults() {
        return true;
    }

    @Override
    public Path newResultFile(String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, ".part");
    }

    @Override
    public String registerResults(EmulatedBatch batch, Path written, String kind) throws IOException {
        Path target = dir.resolve(batch.id() + "_results.jsonl");
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        State state = states.get(batch.id());
        synchronized (state) {
            state.results = target;
        }
        return batch.id() + "_results";
    }

    /** Results for a batch the engine ended without running: see the class description. */
    private Path resultsFromInput(EmulatedBatch batch, State state, EmulatedBatch.Snapshot snapshot)
            throws IOException {
        Path target = dir.resolve(batch.id() + "_results.jsonl");
        Path written = newResultFile(batch.id());
        // a batch that ran and has no results file had every request dropped by the fault plan
        boolean ran = snapshot.completedAt() != null || snapshot.expiredAt() != null;
        boolean cancelled = snapshot.cancelledAt() != null;
        boolean quota = snapshot.errors() != null
                && snapshot.errors().stream().anyMatch(e -> e.code().equals("token_limit_exceeded"));
        try (JsonlLineReader lines = new JsonlLineReader(state.input);
             ResultFileWriter out = new ResultFileWriter(written, null)) {
            while (lines.next()) {
                if (lines.blank() || ran) {
                    continue;
                }
                String customId;
                try {
                    customId = parse(batch, lines.bytes(), lines.length()).customId();
                } catch (RequestLineParser.NotJsonObjectException e) {
                    throw new IOException("input file of " + batch.id() + " is broken", e);
                }
                if (cancelled) {
                    out.add(AnthropicJson.bareLine(customId, "canceled"));
                } else if (quota) {
                    out.add(AnthropicJson.executedLine(customId, error(429, "rate_limit_error",
                            "[emulated] The batch queue limit was reached (fault plan tokenLimit).")));
                } else {
                    out.add(AnthropicJson.executedLine(customId, error(500, "api_error",
                            "[emulated] The batch could not be processed.")));
                }
            }
        }
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Counts the result types of the results file; requests without a line count as succeeded. */
    private static Outcome count(State state) throws IOException {
        long errored = 0;
        long canceled = 0;
        long expired = 0;
        try (JsonlLineReader lines = new JsonlLineReader(state.results)) {
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                switch (resultType(lines.bytes(), lines.length())) {
                    case "errored" -> errored++;
                    case "canceled" -> canceled++;
                    case "expired" -> expired++;
                    default -> {
                    }
                }
            }
        }
        return new Outcome(state.requests - errored - canceled - expired, errored, canceled, expired);
    }

    /** {@code result.type} of a line written by this format; reads no further than that. */
    private static String resultType(byte[] bytes, int length) throws IOException {
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(bytes, 0, length)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("result") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = parser.currentName();
                        parser.nextToken();
                        if (inner.equals("type")) {
                            return parser.getText();
                        }
                        parser.skipChildren();
                    }
                    return "";
                }
                parser.skipChildren();
            }
            return "";
        }
    }
}
