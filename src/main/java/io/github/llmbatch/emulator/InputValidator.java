package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validation an OpenAI batch goes through while {@code validating}: one streaming pass over the
 * input file that reports the problems as {@code errors.data[]} entries.
 *
 * <p>Codes: {@code invalid_json_line}, {@code invalid_request} (valid JSON but not a request line:
 * no string custom_id, method not POST, no url, no body object, no body.model),
 * {@code duplicate_custom_id}, {@code url_mismatch}, {@code model_mismatch}, {@code too_many_tasks}
 * (too many lines, or too many embedding inputs summed), {@code empty_file}, and
 * {@code file_too_large} (the emulator's own code for an input over the size limit; OpenAI's is not
 * documented). At most {@value #MAX_REPORTED} line errors are reported; counting goes on to the end.
 */
final class InputValidator {

    static final int MAX_REPORTED = 100;

    /** What validation found; the batch fails when {@code errors} is not empty. */
    record Result(long requests, String model, List<BatchErrorEntry> errors) {
    }

    private InputValidator() {
    }

    static Result validate(Path input, String endpoint, EmulatorLimits limits) throws IOException {
        long size = Files.size(input);
        if (size > limits.maxInputFileBytes()) {
            return new Result(0, null, List.of(new BatchErrorEntry("file_too_large",
                    "The input file is " + size + " bytes; a batch input file may have at most "
                            + limits.maxInputFileBytes() + " bytes.", null, null)));
        }
        String expectedUrl = Endpoints.normalise(endpoint);
        boolean embeddings = expectedUrl.equals(Endpoints.EMBEDDINGS);
        List<BatchErrorEntry> errors = new ArrayList<>();
        Set<String> customIds = new HashSet<>();
        String model = null;
        long requests = 0;
        long embeddingInputs = 0;
        try (JsonlLineReader lines = new JsonlLineReader(input)) {
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                requests++;
                if (requests > limits.maxRequestsPerBatch() || errors.size() >= MAX_REPORTED) {
                    continue;
                }
                long number = lines.lineNumber();
                RequestLine line;
                try {
                    line = RequestLineParser.parse(lines.bytes(), 0, lines.length());
                } catch (RequestLineParser.NotJsonObjectException e) {
                    errors.add(e.validJson
                            ? new BatchErrorEntry("invalid_request", "This line is not a JSON object.", null, number)
                            : new BatchErrorEntry("invalid_json_line", "This line is not parseable as valid JSON.",
                                    null, number));
                    continue;
                }
                BatchErrorEntry problem = lineProblem(line, number, expectedUrl, model, customIds);
                if (problem != null) {
                    errors.add(problem);
                    continue;
                }
                if (model == null) {
                    model = line.model();
                }
                if (embeddings && line.embeddingInputs() != null) {
                    embeddingInputs += line.embeddingInputs().size();
                }
            }
        }
        if (requests == 0) {
            errors.add(new BatchErrorEntry("empty_file", "The input file contains no requests.", null, null));
        } else if (requests > limits.maxRequestsPerBatch()) {
            errors.add(new BatchErrorEntry("too_many_tasks", "The input file contains " + requests
                    + " requests; a batch may have at most " + limits.maxRequestsPerBatch() + ".", null, null));
        } else if (embeddingInputs > limits.maxEmbeddingInputs()) {
            errors.add(new BatchErrorEntry("too_many_tasks", "The input file contains " + embeddingInputs
                    + " embedding inputs; an embeddings batch may have at most " + limits.maxEmbeddingInputs()
                    + ".", null, null));
        }
        return new Result(requests, model, List.copyOf(errors));
    }

    private static BatchErrorEntry lineProblem(RequestLine line, long number, String expectedUrl, String model,
                                               Set<String> customIds) {
        if (line.customId() == null) {
            return new BatchErrorEntry("invalid_request", "custom_id must be a string.", "custom_id", number);
        }
        if (!"POST".equals(line.method())) {
            return new BatchErrorEntry("invalid_request", "method must be POST.", "method", number);
        }
        if (line.url() == null) {
            return new BatchErrorEntry("invalid_request", "url must be a string.", "url", number);
        }
        if (!expectedUrl.equals(Endpoints.normalise(line.url()))) {
            return new BatchErrorEntry("url_mismatch", "The url '" + line.url()
                    + "' does not match the batch endpoint '" + expectedUrl + "'.", "url", number);
        }
        if (!line.hasBody()) {
            return new BatchErrorEntry("invalid_request", "body must be a JSON object.", "body", number);
        }
        if (line.model() == null || line.model().isEmpty()) {
            return new BatchErrorEntry("invalid_request", "body.model must be a non-empty string.", "body.model",
                    number);
        }
        if (model != null && !Objects.equals(model, line.model())) {
            return new BatchErrorEntry("model_mismatch", "The model '" + line.model()
                    + "' differs from the model '" + model + "' of the first request; use one model per batch.",
                    "body.model", number);
        }
        if (!customIds.add(line.customId())) {
            return new BatchErrorEntry("duplicate_custom_id", "The custom_id '" + line.customId()
                    + "' appears more than once in this batch.", "custom_id", number);
        }
        return null;
    }
}
