package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Gemini's batch calls (BATCH-PROTOCOLS.md §C.2, §C.5): create (content or embeddings), get, list
 * ({@code operations}, newest first), cancel, delete. The batches run on the shared {@link BatchEngine}
 * with the {@link GeminiBatchFormat}.
 *
 * <p>Where the spec is silent the emulator chooses: {@code pageSize} defaults to 50, at most 1000;
 * cancel and delete answer {@code {}}; cancelling a finished batch answers 400 FAILED_PRECONDITION;
 * deleting a running batch cancels it first; a deleted batch is gone from get and list.
 */
final class GeminiBatchesEndpoint {

    private final BatchRegistry batches;
    private final BatchEngine engine;
    private final GeminiBatchFormat format;
    private final FaultInjector faults;

    GeminiBatchesEndpoint(BatchRegistry batches, BatchEngine engine, GeminiBatchFormat format, FaultInjector faults) {
        this.batches = batches;
        this.engine = engine;
        this.format = format;
        this.faults = faults;
    }

    /**
     * @param model   the model id from the path, without {@code models/}
     * @param method  {@link GeminiBatchFormat#GENERATE} or {@link GeminiBatchFormat#EMBED}
     */
    void create(ApiExchange call, String model, String method) throws IOException {
        GeminiCreateRequest request = GeminiCreateRequest.parse(call.body(), format.files().newTempFile("inline"));
        Path input;
        String inputFileId = null;
        if (request.inline() != null) {
            input = request.inline().input();
        } else {
            StoredFile file = format.files().get(request.fileId()).orElseThrow(() -> ApiException.google(400,
                    "[emulated] * batch.input_config.file_name: file files/" + request.fileId()
                            + " does not exist."));
            if (!GeminiBatchFormat.UPLOADED.equals(file.purpose())) {
                throw ApiException.google(400, "[emulated] * batch.input_config.file_name: files/" + file.id()
                        + " is a generated file, not an uploaded one.");
            }
            input = file.path();
            inputFileId = file.id();
        }
        String fileId = inputFileId;
        EmulatedBatch batch = batches.create(ordinal -> new EmulatedBatch(IdGenerator.geminiId(), ordinal, format,
                method, fileId, null, null, null, request.displayName(), "models/" + model,
                request.inline() != null));
        if (request.inline() != null) {
            format.inlineRequests(batch, request.inline());
        }
        byte[] answer = EmulatorJson.render(json -> GeminiBatchJson.write(json, batch, batch.snapshot(), null,
                false));
        engine.submit(batch, input);
        int lost = faults.nextLostResponse(ApiRoute.CREATE_BATCH);
        if (lost != 0) {
            throw ApiException.injected(lost);
        }
        call.sendJson(200, answer);
    }

    void retrieve(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        EmulatedBatch.Snapshot snapshot = batch.snapshot();
        boolean hide = snapshot.status().equals("completed") && batch.lagsResults(faults.plan().fileLag(), true);
        call.sendJson(200, json -> GeminiBatchJson.write(json, batch, snapshot, format.inline(batch), hide));
    }

    void list(ApiExchange call) throws IOException {
        int pageSize = QueryParams.intParam(call, "pageSize", 50, 1, 1000);
        String token = call.query("pageToken");
        ListPage<EmulatedBatch> page;
        try {
            page = batches.list(format, token == null || token.isEmpty() ? null : token, pageSize);
        } catch (IllegalArgumentException e) {
            throw ApiException.google(400, "[emulated] Invalid page token: " + token);
        }
        int lag = faults.plan().fileLag();
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("operations");
            for (EmulatedBatch batch : page.data()) {
                EmulatedBatch.Snapshot snapshot = batch.snapshot();
                // a list shows what a get would, without using up the lag
                boolean hide = snapshot.status().equals("completed") && batch.lagsResults(lag, false);
                GeminiBatchJson.write(json, batch, snapshot, format.inline(batch), hide);
            }
            json.writeEndArray();
            if (page.hasMore()) {
                json.writeStringField("nextPageToken", page.data().get(page.data().size() - 1).id());
            }
            json.writeEndObject();
        });
    }

    void cancel(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        String before = batch.requestCancel();
        if (before == null) {
            throw ApiException.google(400, "FAILED_PRECONDITION", "[emulated] batches/" + id + " has already ended ("
                    + GeminiBatchJson.state(batch.status()) + ") and cannot be cancelled.");
        }
        engine.cancelled(batch, before);
        call.drainBody();
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeEndObject();
        });
    }

    void delete(ApiExchange call, String id) throws IOException {
        EmulatedBatch batch = find(id);
        String before = batch.requestCancel();
        if (before != null) {
            engine.cancelled(batch, before);
        }
        batch.markDeleted();
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeEndObject();
        });
    }

    private EmulatedBatch find(String id) {
        return batches.get(id, format).orElseThrow(() -> ApiException.google(404, "[emulated] batches/" + id
                + " does not exist."));
    }
}
