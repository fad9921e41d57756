package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gemini Batch Mode's batches (BATCH-PROTOCOLS.md §C): {@code {"key", "request"}} lines in, one
 * responses file out ({@code files/batch-<batch id>}) whose lines are {@code {"key", "response"}} or
 * {@code {"key", "error": Status}}.
 *
 * <p>The spec is silent on how the API treats a broken input file; the emulator chooses: problems of
 * the file itself fail the whole batch ({@code BATCH_STATE_FAILED} with an INVALID_ARGUMENT error
 * naming the first bad lines): a line that is not a JSON object, a line without a string {@code key}
 * (nothing could join its result), a key used twice, an empty file, too many lines, a file too large.
 * A line whose {@code request} is missing or not a valid request is a per-line error (INVALID_ARGUMENT)
 * in the responses file, as a request the model refuses would be. An expired or cancelled batch keeps
 * no results at all (§C.4: expired jobs have none; for cancelled ones the spec is silent).
 */
final class GeminiBatchFormat implements BatchFormat {

    /** The create method of a content batch, also its {@link EmulatedBatch#endpoint()}. */
    static final String GENERATE = "batchGenerateContent";
    /** The create method of an embeddings batch. */
    static final String EMBED = "asyncBatchEmbedContent";
    /** Generated files are deleted after 48 hours, like uploaded ones (§C.1). */
    static final long FILE_LIFETIME_SECONDS = 48 * 3600;
    static final String GENERATED = "generated";
    static final String UPLOADED = "uploaded";
    /** The output "file id" of an inline batch with results: it names no file. */
    static final String INLINE_RESULTS = "(inline)";

    private final FileStore files;
    private final Map<String, GeminiInlineRequests> inline = new ConcurrentHashMap<>();

    GeminiBatchFormat(FileStore files) {
        this.files = files;
    }

    /** Records that a batch runs on inline requests; its results become {@code inlinedResponses}. */
    void inlineRequests(EmulatedBatch batch, GeminiInlineRequests requests) {
        inline.put(batch.id(), requests);
    }

    /** A batch's inline requests, or null for a batch from a file. */
    GeminiInlineRequests inline(EmulatedBatch batch) {
        return inline.get(batch.id());
    }

    FileStore files() {
        return files;
    }

    @Override
    public InputValidator.Result validate(EmulatedBatch batch, Path input, EmulatorLimits limits) throws IOException {
        long size = Files.size(input);
        if (size > limits.maxInputFileBytes()) {
            return new InputValidator.Result(0, batch.snapshot().model(), List.of(new BatchErrorEntry("file_too_large",
                    "The input file is " + size + " bytes; a batch input file may have at most "
                            + limits.maxInputFileBytes() + " bytes.", null, null)));
        }
        List<BatchErrorEntry> errors = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        long requests = 0;
        try (JsonlLineReader lines = new JsonlLineReader(input)) {
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                requests++;
                if (requests > limits.maxRequestsPerBatch() || errors.size() >= InputValidator.MAX_REPORTED) {
                    continue;
                }
                long number = lines.lineNumber();
                RequestLine line;
                try {
                    line = parse(batch, lines.bytes(), lines.length());
                } catch (RequestLineParser.NotJsonObjectException e) {
                    errors.add(new BatchErrorEntry(e.validJson ? "invalid_request" : "invalid_json_line",
                            e.validJson ? "the line is not a JSON object" : "the line is not valid JSON", null,
                            number));
                    continue;
                }
                if (line.customId() == null) {
                    errors.add(new BatchErrorEntry("invalid_request", "the line has no string 'key'", "key", number));
                } else if (!keys.add(line.customId())) {
                    errors.add(new BatchErrorEntry("duplicate_key", "the key '" + line.customId()
                            + "' appears more than once", "key", number));
                }
            }
        }
        if (requests == 0) {
            errors.add(new BatchErrorEntry("empty_file", "The input file contains no requests.", null, null));
        } else if (requests > limits.maxRequestsPerBatch()) {
            errors.add(new BatchErrorEntry("too_many_tasks", "The input file contains " + requests
                    + " requests; a batch may have at most " + limits.maxRequestsPerBatch() + ".", null, null));
        }
        return new InputValidator.Result(requests, batch.snapshot().model(), List.copyOf(errors));
    }

    @Override
    public RequestLine parse(EmulatedBatch batch, byte[] bytes, int length)
            throws RequestLineParser.NotJsonObjectException {
        return GeminiRequestLineParser.parse(bytes, 0, length, batch.snapshot().model());
    }

    @Override
    public Responder.Reply answer(EmulatedBatch batch, RequestLine line) {
        return EMBED.equals(batch.endpoint()) ? GeminiResponder.embed(line)
                : GeminiResponder.generate(line, batch::sharedPrefix);
    }

    @Override
    public Responder.Reply injectedFailure(FaultInjector.LineFault fault) {
        return switch (fault) {
            case HTTP_400 -> GeminiResponder.error(400,
                    "[emulated] This request was rejected by the fault plan (fail400).");
            case HTTP_429 -> GeminiResponder.error(429,
                    "[emulated] Resource has been exhausted (e.g. check quota).");
            case OVERLOADED -> GeminiResponder.error(503,
                    "[emulated] The model is overloaded. Please try again later.");
            default -> GeminiResponder.error(500, "[emulated] An internal error has occurred.");
        };
    }

    @Override
    public byte[] executedLine(RequestLine line, Responder.Reply reply) {
        return EmulatorJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("key", line.customId());
            json.writeFieldName(reply.status() == 200 ? "response" : "error");
            reply.body().write(json);
            json.writeEndObject();
        });
    }

    @Override
    public byte[] notExecutedLine(RequestLine line, String code, String message) {
        int status = code.equals("batch_cancelled") ? 499 : 504;
        return EmulatorJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("key", line.customId());
            json.writeFieldName("error");
            GoogleStatus.write(json, status, "[emulated] " + message);
            json.writeEndObject();
        });
    }

    @Override
    public boolean separateErrorFile() {
        return false;
    }

    @Override
    public boolean keepsUnfinishedResults() {
        return false;
    }

    @Override
    public Path newResultFile(String prefix) throws IOException {
        return files.newTempFile(prefix);
    }

    /**
     * A file batch's results become the generated file {@code files/batch-<id>}; an inline batch's stay an
     * internal file, shown only as {@code inlinedResponses} (the id returned names no file then).
     */
    @Override
    public String registerResults(EmulatedBatch batch, Path written, String kind) throws IOException {
        GeminiInlineRequests requests = inline(batch);
        if (requests != null) {
            requests.resultsWritten(written);
            return INLINE_RESULTS;
        }
        String id = "batch-" + batch.id();
        return files.register(written, id, id, "application/jsonl", GENERATED, FILE_LIFETIME_SECONDS).id();
    }
}
