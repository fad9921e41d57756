package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What differs between the protocols' batches, so that one {@link BatchEngine} drives them all: how
 * an input file is validated and its lines read, how answers and failures look, and where results go.
 */
interface BatchFormat {

    /** The checks a batch's input file goes through before it runs; errors fail the whole batch. */
    InputValidator.Result validate(EmulatedBatch batch, Path input, EmulatorLimits limits) throws IOException;

    /** Reads one line of an input file that passed {@link #validate}. */
    RequestLine parse(EmulatedBatch batch, byte[] bytes, int length) throws RequestLineParser.NotJsonObjectException;

    /** The responder's answer to one request. */
    Responder.Reply answer(EmulatedBatch batch, RequestLine line);

    /**
     * The answer a request gets when the fault plan fails it ({@code fail400}, {@code fail500}, {@code fail429},
     * {@code overloaded}).
     */
    Responder.Reply injectedFailure(FaultInjector.LineFault fault);

    /** The result line of a request that ran. */
    byte[] executedLine(RequestLine line, Responder.Reply reply);

    /**
     * The result line of a request that never ran.
     *
     * @param code {@code batch_expired}, {@code batch_cancelled} or {@code request_timeout}
     */
    byte[] notExecutedLine(RequestLine line, String code, String message);

    /** Whether failed lines go to a file of their own (OpenAI's error file) rather than beside the answers. */
    boolean separateErrorFile();

    /** Whether an expired or cancelled batch keeps the results of the lines that ran. */
    boolean keepsUnfinishedResults();

    /**
     * Whether a batch may expire (fault plan {@code expire}); Azure runs a batch until it is done or
     * cancelled.
     */
    default boolean expires() {
        return true;
    }

    /** Whether a batch with no failed line still gets an error file, of 0 bytes (Azure); else none. */
    default boolean keepsEmptyErrorFile() {
        return false;
    }

    /**
     * Whether the batch object takes the shapes Azure's docs show (§A.11): status capitalised
     * ({@code Validating}, {@code InProgress}, {@code Completed}), timestamps as ISO-8601 strings,
     * {@code expires_at} null (no expiry) and {@code request_counts} members null until validation
     * has counted the requests. Clients must read both these and OpenAI's.
     */
    default boolean azureShapes() {
        return false;
    }

    /** A fresh file in the store that {@link #registerResults} files results in. */
    Path newResultFile(String prefix) throws IOException;

    /**
     * Files a written result file of a batch; returns its id.
     *
     * @param kind {@code output} or {@code error}
     */
    String registerResults(EmulatedBatch batch, Path written, String kind) throws IOException;
}
