package io.github.llmbatch.pipeline;

import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.provider.Outcome;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ResultLineParser;
import io.github.llmbatch.request.InvalidAnswerException;
import io.github.llmbatch.request.ResponseSchema;
import io.github.llmbatch.request.StructuredAnswer;
import io.github.llmbatch.shard.RecordLines.RecordLine;

import java.io.IOException;
import java.util.logging.Logger;

/** Joins a record with its latest result into the output record. */
public final class ResultJoiner {

    private static final Logger LOG = Logger.getLogger(ResultJoiner.class.getName());

    private final ResultDecoder decoder;
    private final ProviderProfile profile;
    private final ResponseSchema schema;

    /** @param decoder one of the profile's, for this thread */
    public ResultJoiner(ResultDecoder decoder, ProviderProfile profile) {
        this(decoder, profile, null);
    }

    /** @param schema the job's response schema, which every answer is checked against; null for free text */
    public ResultJoiner(ResultDecoder decoder, ProviderProfile profile, ResponseSchema schema) {
        this.decoder = decoder;
        this.profile = profile;
        this.schema = schema;
    }

    public MergedRecord join(MergeInput in) {
        RecordLine rec = in.record();
        if (in.result() == null) {
            return new MergedRecord(rec.id(), false, null, Outcome.MISSING_RESULT,
                    "the provider returned no result for this request (attempts: " + in.attempts() + ")", null,
                    in.attempts(), rec.buffer(), rec.recordOffset(), rec.recordLength());
        }
        ResultLine r;
        try {
            r = decoder.decode(in.result(), 0, in.result().length);
        } catch (IllegalArgumentException e) {
            return malformed(in, e.getMessage());
        }
        if (!r.customId().equals(rec.customId())) {
            // the result index works on fingerprints; two ids of one shard shared one
            throw new IllegalStateException("result for custom_id " + r.customId() + " was found for record "
                    + rec.customId() + " (line " + rec.line() + "): fingerprint collision in the result index");
        }
        if (profile.outcomeOf(r, false) == Outcome.SUCCEEDED) {
            if (schema != null) {
                return structured(in, r);
            }
            return new MergedRecord(rec.id(), true, r.contentJson(), null, null, r.usageJson(), in.attempts(),
                    rec.buffer(), rec.recordOffset(), rec.recordLength());
        }
        String code = r.errorCode() != null ? r.errorCode() : "http_" + r.httpStatus();
        String message = r.errorMessage() != null ? r.errorMessage() : "request failed with HTTP " + r.httpStatus();
        return new MergedRecord(rec.id(), false, null, code, message, r.usageJson(), in.attempts(), rec.buffer(),
                rec.recordOffset(), rec.recordLength());
    }

    /**
     * The answer parsed and checked against the schema; one that is not JSON or breaks the schema fails
     * with {@link Outcome#INVALID_OUTPUT}, its text kept in {@code content} so nothing paid for is lost.
     */
    private MergedRecord structured(MergeInput in, ResultLine r) {
        RecordLine rec = in.record();
        String content = r.contentJson();
        String message;
        if (content == null || !content.startsWith("\"")) {
            message = "the provider returned no answer text to check against the response schema";
        } else {
            try {
                StructuredAnswer answer = schema.check(ResultLineParser.unquote(content));
                return new MergedRecord(rec.id(), true, content, null, null, r.usageJson(), in.attempts(),
                        rec.buffer(), rec.recordOffset(), rec.recordLength(), answer.json(), answer.values());
            } catch (InvalidAnswerException e) {
                message = e.getMessage();
            }
        }
        return new MergedRecord(rec.id(), false, content, Outcome.INVALID_OUTPUT, message, r.usageJson(),
                in.attempts(), rec.buffer(), rec.recordOffset(), rec.recordLength());
    }

    /** Its line stayed damaged through every download and attempt (AttemptResolver retried it). */
    private static MergedRecord malformed(MergeInput in, String reason) {
        RecordLine rec = in.record();
        String where;
        try {
            where = in.resultFile() + " line " + ResultFileScan.lineAt(in.resultFile(), in.resultOffset());
        } catch (IOException e) {
            where = in.resultFile() + " at byte " + in.resultOffset();
        }
        String message = "the provider's result line for this request does not parse (" + where + "): " + reason;
        LOG.warning(() -> "record " + rec.id() + " (line " + rec.line() + "): " + message);
        return new MergedRecord(rec.id(), false, null, Outcome.MALFORMED_RESULT, message, null, in.attempts(),
                rec.buffer(), rec.recordOffset(), rec.recordLength());
    }
}
