package io.github.llmbatch.pipeline;

import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RecordParser;
import io.github.llmbatch.request.RecordValues;
import io.github.llmbatch.request.RequestLineWriter;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import io.github.llmbatch.shard.Fingerprint;
import io.github.llmbatch.shard.RecordLines;
import io.github.llmbatch.shard.ShardLimits;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns an input record into a provider request, or into a reject that says why: not JSON,
 * no id, a template field missing, a request too large for a shard. (Duplicates are found by
 * {@link PreparedWriter}, which sees every accepted id in order.) Not thread-safe: each worker of
 * {@link ParallelPreparer} has its own.
 */
public final class RecordPreparer {

    private final String idField;
    private final CustomIdPolicy ids;
    private final ShardLimits limits;
    private final RecordParser parser;
    private final RequestLineWriter lines;
    private final int inputs;
    private final RecordValues values;

    /** @param profile the provider's custom_id rule and request-line format */
    public RecordPreparer(RequestSpec spec, String idField, ProviderProfile profile, ShardLimits limits) {
        this.idField = idField;
        this.ids = profile.customIds();
        this.limits = limits;
        FieldSlots slots = FieldSlots.of(idField, spec);
        this.parser = new RecordParser(slots);
        this.values = new RecordValues(slots);
        this.lines = profile.requestLineWriter(spec, slots);
        this.inputs = spec.endpoint().embeddingInputs();
    }

    /**
     * @param fieldNames receives every top-level field name of valid records
     */
    public Prepared prepare(InputRecord record, Consumer<String> fieldNames) {
        return prepare(record, record.offset() + record.length(), fieldNames);
    }

    /**
     * @param runEnd where the run of records this one starts ends in its array: the records after
     *               it, each after a line terminator, come next (see {@link RecordParser})
     */
    public Prepared prepare(InputRecord record, int runEnd, Consumer<String> fieldNames) {
        if (record.problem() != null) {
            return reject(record, null, record.problem());
        }
        if (isBlank(record)) {
            return reject(record, null, "empty line");
        }
        try {
            parser.parse(record.bytes(), record.offset(), record.length(), runEnd, fieldNames, values);
        } catch (RecordParser.InvalidRecordException e) {
            return reject(record, null, e.getMessage());
        }
        if (values.idNotAStringOrNumber()) {
            return reject(record, null, "id field '" + idField + "' must be a string or a number");
        }
        String id = values.id();
        if (id == null || id.isEmpty()) {
            return reject(record, null, "missing id field '" + idField + "'");
        }
        if (id.isBlank()) {
            return reject(record, null, "id field '" + idField + "' is blank");
        }
        String customId = ids.customIdFor(id);
        byte[] request;
        try {
            request = lines.write(customId, values);
        } catch (Template.MissingFieldException e) {
            return reject(record, id, e.getMessage());
        }
        if (!limits.fits(request.length)) {
            return reject(record, id, "request of " + (request.length + 1) + " bytes exceeds maxBytesPerFile "
                    + limits.maxBytes());
        }
        byte[] recordLine = RecordLines.encode(record.line(), id, customId, record.bytes(), record.offset(),
                record.length());
        return new Prepared.Request(record.line(), id, customId, request, recordLine, inputs, Fingerprint.of(customId));
    }

    private static boolean isBlank(InputRecord r) {
        for (int i = r.offset(); i < r.offset() + r.length(); i++) {
            byte b = r.bytes()[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static Prepared.Reject reject(InputRecord r, String id, String reason) {
        return new Prepared.Reject(r.line(), id, reason,
                new String(r.bytes(), r.offset(), r.length(), StandardCharsets.UTF_8));
    }
}
