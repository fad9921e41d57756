package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Message Batches calls (BATCH-PROTOCOLS.md §B.1, §B.3): create, retrieve, list, cancel, delete, results.
 *
 * <p>Where §B is silent the emulator chooses (§E.7): cancelling a batch that has ended, deleting one that
 * has not, and asking for the results of one that has not ended answer 400 {@code invalid_request_error}
 * (not 409, which the SDKs retry); an unknown or deleted id answers 404 {@code not_found_error}, and so
 * does an {@code after_id}/{@code before_id} that names no batch. Results are served as
 * {@code application/binary}, the type the SDK asks for.
 */
final class AnthropicBatchesEndpoint {

    private final BatchRegistry batches;
    private final BatchEngine engine;
    private final AnthropicBatchFormat format;
    private final FaultInjector faults;
    private final LiveStats stats;
    private final int maxRequests;
    private final long maxBytes;

    AnthropicBatchesEndpoint(BatchRegistry batches, BatchEngine engine, AnthropicBatchFormat format,
                             FaultInjector faults, LiveStats stats, int maxRequests, long maxBytes) {
        this.batches = batches;
        this.engine = engine;
        this.format = format;
        this.faults = faults;
        this.stats = stats;
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    void create(ApiExchange call) throws IOException {
        String length = call.header("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
            throw new ApiException(413, "request_too_large", "[emulated] Request exceeds the maximum allowed size"
                    + " of " + maxBytes + " bytes.", null, null);
        }
        AnthropicCreateRequest request = AnthropicCreateRequest.parse(call.body(), format.newInputFile(), maxRequests,
                maxBytes);
        EmulatedBatch batch = batches.create(ordinal -> new EmulatedBatch("msgbatch_"
                + IdGenerator.requestId().substring(4), ordinal, format, "/v1/messages", null, null, null, null, null,
                null, false));
        format.created(batch, request.customIds().size(), request.input());
        stats.anthropicBatchCreated(request.customIds());
        byte[] answer = render(call, batch); // before the scheduler can move it on
        engine.submit(batch, request.input());
        int lost = faults.nextLostResponse(ApiRoute.CREATE_BATCH);
        if (lost != 0) {
            throw ApiException.injected(lost);
        }
        call.sendJson(200, answer);
    }

    void retrieve(ApiExchange call, String id) throws IOException {
        call.sendJson(200, render(call, find(id)));
    }

    /** Newest first; {@code after_id} pages to older batches, {@code before_id} to newer ones (§B.3). */
    void list(ApiExchange call) throws IOException {
        int limit = QueryParams.intParam(call, "limit", 20, 1, 1000);
        String after = emptyToNull(call.query("after_id"));
        String before = emptyToNull(call.query("before_id"));
        List<EmulatedBatch> newestFirst = new ArrayList<>();
        for (EmulatedBatch batch : batches.all()) {
            if (batch.format() == format && !batch.deleted()) {
                newestFirst.add(0, batch);
            }
        }
        List<EmulatedBatch> page;
        boolean hasMore;
        if (before != null) {
            int end = position(newestFirst, before, "before_id");
            int start = Math.max(0, end - limit);
            page = newestFirst.subList(start, end);
            hasMore = start > 0;
        } else {
            int start = after == null ? 0 : position(newestFirst, after, "after_id") + 1;
            int end = Math.min(newestFirst.size(), start + limit);
            page = newestFirst.subList(start, end);
            hasMore = end < newestFirst.size();
        }
        List<byte[]> rendered = new ArrayList<>();
        for (EmulatedBatch batch : page) {
            rendered.add(render(call, batch));
        }
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("data");
            for (byte[] batch : rendered) {
                json.writeRawValue(new String(batch, java.nio.charset.StandardCharsets.UTF_8));
            }
            json.writeEndArray();
            json.writeBooleanField("has_more", hasMore);
            EmulatorJson.writeNullableString(json, "first_id", page.isEmpty() ? null : page.get(0).id());
            EmulatorJson.writeNullableString(json, "last_id", page.isEmpty() ? null : page.get(page.size() - 1).id());
            json.writeEndObject();
        });
    }

    void cancel(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        call.drainBody();
        String before;
        byte[] answer;
        // the batch's own monitor: its processing thread cannot end it between the cancel and the
        // answer, which shows "canceling" however fast it ends
        synchronized (batch) {
            before = batch.requestCancel();
            if (before == null) {
                throw invalid("Batch " + id + " has already ended and cannot be canceled.");
            }
            answer = render(call, batch);
        }
        engine.cancelled(batch, before);
        call.sendJson(200, answer);
    }

    void delete(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        if (format.outcome(batch, batch.snapshot()) == null) {
            throw invalid("Batch " + id + " has not ended; cancel it and wait for it to end before deleting it.");
        }
        batch.markDeleted();
        format.delete(batch);
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("type", "message_batch_deleted");
            json.writeEndObject();
        });
    }

    /** {@code GET {results_url}}: the JSONL results of an ended batch, damaged as the fault plan says. */
    void results(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        if (format.outcome(batch, batch.snapshot()) == null) {
            throw invalid("Batch " + id + " has not ended yet; its results are not available.");
        }
        Path results = format.results(batch);
        stats.outputFileDownloaded();
        OutputDamage damage = faults.nextOutputDamage();
        if (damage == null) {
            call.sendFile(results, "application/binary");
        } else {
            call.sendBytes(damage.apply(java.nio.file.Files.readAllBytes(results)), "application/binary");
        }
    }

    private byte[] render(ApiExchange call, EmulatedBatch batch) throws IOException {
        EmulatedBatch.Snapshot snapshot = batch.snapshot();
        AnthropicBatchFormat.Outcome outcome = format.outcome(batch, snapshot);
        long requests = format.requests(batch);
        return EmulatorJson.render(json -> AnthropicJson.writeBatch(json, batch, snapshot, outcome, requests,
                call.origin()));
    }

    private EmulatedBatch find(String id) {
        return batches.get(id, format).orElseThrow(() -> new ApiException(404, "not_found_error",
                "[emulated] No message batch with id " + id + ".", null, null));
    }

    private static int position(List<EmulatedBatch> batches, String id, String param) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new ApiException(404, "not_found_error", "[emulated] " + param + ": no message batch with id " + id
                + ".", null, null);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request_error", "[emulated] " + message, null, null);
    }
}
