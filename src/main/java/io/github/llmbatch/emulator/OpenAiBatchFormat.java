package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Path;

/** OpenAI's batches (BATCH-PROTOCOLS.md §A): {@code BatchRequestInput} lines, output and error files. */
final class OpenAiBatchFormat implements BatchFormat {

    private final FileStore files;

    OpenAiBatchFormat(FileStore files) {
        this.files = files;
    }

    @Override
    public InputValidator.Result validate(EmulatedBatch batch, Path input, EmulatorLimits limits) throws IOException {
        return InputValidator.validate(input, batch.endpoint(), limits);
    }

    @Override
    public RequestLine parse(EmulatedBatch batch, byte[] bytes, int length)
            throws RequestLineParser.NotJsonObjectException {
        return RequestLineParser.parse(bytes, 0, length);
    }

    @Override
    public Responder.Reply answer(EmulatedBatch batch, RequestLine line) {
        return Responder.answer(batch.endpoint(), line, batch::sharedPrefix);
    }

    @Override
    public Responder.Reply injectedFailure(FaultInjector.LineFault fault) {
        return switch (fault) {
            case HTTP_400 -> Responder.error(400, "[emulated] This request was rejected by the fault plan (fail400).",
                    "invalid_request_error", null, null);
            case HTTP_429 -> Responder.error(429, "[emulated] Rate limit reached for requests.", "requests", null,
                    "rate_limit_exceeded");
            case OVERLOADED -> Responder.error(503, "[emulated] The server is overloaded or not ready yet.",
                    "server_error", null, null);
            default -> Responder.error(500, "[emulated] The server had an error while processing your request.",
                    "server_error", null, null);
        };
    }

    @Override
    public byte[] executedLine(RequestLine line, Responder.Reply reply) {
        return ResultLines.executed(line.customId(), reply);
    }

    @Override
    public byte[] notExecutedLine(RequestLine line, String code, String message) {
        return ResultLines.notExecuted(line.customId(), code, message);
    }

    @Override
    public boolean separateErrorFile() {
        return true;
    }

    @Override
    public boolean keepsUnfinishedResults() {
        return true;
    }

    @Override
    public Path newResultFile(String prefix) throws IOException {
        return files.newTempFile(prefix);
    }

    @Override
    public String registerResults(EmulatedBatch batch, Path written, String kind) throws IOException {
        return files.register(written, batch.id() + "_" + kind + ".jsonl", "batch_output",
                batch.outputExpiresAfterSeconds()).id();
    }
}
