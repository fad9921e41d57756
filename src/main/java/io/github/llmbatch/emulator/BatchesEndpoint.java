package io.github.llmbatch.emulator;

import java.io.IOException;

/**
 * The Batches API: create, retrieve, list (newest first), cancel. One instance per service (OpenAI's
 * below {@code /v1}, Azure's below {@code /openai/v1} and {@code /openai}): each sees only the batches
 * created through it, as two real services would; files are shared.
 *
 * <p>Creating from an unknown (or deleted) file, or from a file whose purpose is not {@code batch},
 * answers 400 with {@code param: "input_file_id"}. Cancelling a batch that already ended answers 400
 * ({@code invalid_request_error}, code null) rather than 409, because OpenAI's SDKs retry 409.
 */
final class BatchesEndpoint {

    private final BatchRegistry batches;
    private final BatchEngine engine;
    private final FileStore files;
    private final FaultInjector faults;
    private final BatchFormat format;

    /** @param format OpenAI's or Azure's: the service these calls reach, whose batches they see */
    BatchesEndpoint(BatchRegistry batches, BatchEngine engine, FileStore files, FaultInjector faults,
                    BatchFormat format) {
        this.format = format;
        this.batches = batches;
        this.engine = engine;
        this.files = files;
        this.faults = faults;
    }

    void create(ApiExchange call) throws IOException {
        CreateBatchRequest request = CreateBatchRequest.parse(call.body());
        StoredFile input = files.get(request.inputFileId()).orElseThrow(() -> ApiException.invalidRequest(
                "Invalid 'input_file_id': no such file '" + request.inputFileId() + "'.", "input_file_id"));
        if (!input.purpose().equals("batch")) {
            throw ApiException.invalidRequest("Invalid 'input_file_id': the file's purpose is '" + input.purpose()
                    + "', not 'batch'.", "input_file_id");
        }
        EmulatedBatch batch = batches.create(ordinal -> new EmulatedBatch(IdGenerator.batchId(), ordinal, format,
                request.endpoint(), input.id(), request.completionWindow(), request.metadata(),
                request.outputExpiresAfterSeconds(), null, null, false));
        byte[] answer = EmulatorJson.render(batch::writeJson); // before the scheduler can move it on
        engine.submit(batch, input.path());
        int lost = faults.nextLostResponse(ApiRoute.CREATE_BATCH);
        if (lost != 0) {
            throw ApiException.injected(lost);
        }
        call.sendJson(200, answer);
    }

    void retrieve(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        call.sendJson(200, batch::writeJson);
    }

    void list(ApiExchange call) throws IOException {
        int limit = QueryParams.intParam(call, "limit", 20, 1, 100);
        String after = call.query("after");
        ListPage<EmulatedBatch> page;
        try {
            page = batches.list(format, after == null || after.isEmpty() ? null : after, limit);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("No such Batch object: " + after, "after");
        }
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (EmulatedBatch batch : page.data()) {
                batch.writeJson(json);
            }
            json.writeEndArray();
            EmulatorJson.writeNullableString(json, "first_id", page.data().isEmpty() ? null : page.data().get(0).id());
            EmulatorJson.writeNullableString(json, "last_id",
                    page.data().isEmpty() ? null : page.data().get(page.data().size() - 1).id());
            json.writeBooleanField("has_more", page.hasMore());
            json.writeEndObject();
        });
    }

    void cancel(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        String before;
        byte[] answer;
        // the batch's own monitor: its processing thread cannot end it between the cancel and the
        // answer, which shows "cancelling" however fast it ends
        synchronized (batch) {
            before = batch.requestCancel();
            if (before == null) {
                throw ApiException.invalidRequest("Cannot cancel a batch with status '" + batch.status() + "'.", null);
            }
            answer = EmulatorJson.render(batch::writeJson);
        }
        engine.cancelled(batch, before);
        call.sendJson(200, answer);
    }

    private EmulatedBatch find(String id) {
        return batches.get(id, format).orElseThrow(() -> ApiException.notFound("No such Batch object: " + id, "batch_id"));
    }
}
