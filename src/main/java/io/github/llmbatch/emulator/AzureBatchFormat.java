package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Azure OpenAI's batches (BATCH-PROTOCOLS.md §A.11): OpenAI's lines and result files, with Azure's
 * differences. Requests per file default to {@value #MAX_REQUESTS}; a batch never expires (Azure runs
 * it until it is done or cancelled, so the fault plan's {@code expire} does not apply); a batch with no
 * failed line still gets an error file, of 0 bytes; and the batch object takes the shapes of Azure's
 * docs ({@link #azureShapes()}).
 */
final class AzureBatchFormat implements BatchFormat {

    static final int MAX_REQUESTS = 100_000;

    private final OpenAiBatchFormat openAi;

    AzureBatchFormat(OpenAiBatchFormat openAi) {
        this.openAi = openAi;
    }

    /**
     * Azure's request limit where the emulator keeps OpenAI's default; a limit the config or the fault
     * plan ({@code maxRequests}) set applies to both services.
     */
    @Override
    public InputValidator.Result validate(EmulatedBatch batch, Path input, EmulatorLimits limits) throws IOException {
        boolean defaultLimit = limits.maxRequestsPerBatch() == EmulatorLimits.defaults().maxRequestsPerBatch();
        return openAi.validate(batch, input, defaultLimit ? limits.withMaxRequestsPerBatch(MAX_REQUESTS) : limits);
    }

    @Override
    public RequestLine parse(EmulatedBatch batch, byte[] bytes, int length)
            throws RequestLineParser.NotJsonObjectException {
        return openAi.parse(batch, bytes, length);
    }

    @Override
    public Responder.Reply answer(EmulatedBatch batch, RequestLine line) {
        return openAi.answer(batch, line);
    }

    @Override
    public Responder.Reply injectedFailure(FaultInjector.LineFault fault) {
        return openAi.injectedFailure(fault);
    }

    @Override
    public byte[] executedLine(RequestLine line, Responder.Reply reply) {
        return openAi.executedLine(line, reply);
    }

    @Override
    public byte[] notExecutedLine(RequestLine line, String code, String message) {
        return openAi.notExecutedLine(line, code, message);
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
    public boolean expires() {
        return false;
    }

    @Override
    public boolean keepsEmptyErrorFile() {
        return true;
    }

    @Override
    public boolean azureShapes() {
        return true;
    }

    @Override
    public Path newResultFile(String prefix) throws IOException {
        return openAi.newResultFile(prefix);
    }

    @Override
    public String registerResults(EmulatedBatch batch, Path written, String kind) throws IOException {
        return openAi.registerResults(batch, written, kind);
    }
}
