package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Gemini's Files API (BATCH-PROTOCOLS.md §C.1): resumable upload, get, list (newest first), delete, and
 * download of generated files.
 *
 * <p>Where the spec is silent the emulator chooses: the session URL needs no API key (its
 * {@code upload_id} is the credential, as with Google's upload servers); a {@code finalize} repeated on
 * a finished session answers the same file again, so a client whose finalize answer was lost can ask
 * again without uploading twice; {@code pageSize} defaults to 10, at most 100; downloading an
 * uploaded file answers 400, as only generated files are downloadable.
 */
final class GeminiFilesEndpoint {

    /** A file id: at most 40 of {@code [a-z0-9-]}, not starting or ending with {@code -} (§C.1). */
    private static final Pattern FILE_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");

    private final FileStore files;
    private final FaultInjector faults;
    private final EmulatorLimits limits;
    private final LiveStats stats;
    private final Map<String, GeminiUploadSession> sessions = new ConcurrentHashMap<>();

    GeminiFilesEndpoint(FileStore files, FaultInjector faults, EmulatorLimits limits, LiveStats stats) {
        this.files = files;
        this.faults = faults;
        this.limits = limits;
        this.stats = stats;
    }

    /** {@code POST /upload/v1beta/files}: without an {@code upload_id} the start, with one a chunk. */
    void upload(ApiExchange call) throws IOException {
        String sessionId = call.query("upload_id");
        if (sessionId == null) {
            start(call);
        } else {
            chunk(call, sessionId);
        }
    }

    private void start(ApiExchange call) throws IOException {
        if (!"resumable".equalsIgnoreCase(trimmed(call.header("X-Goog-Upload-Protocol")))
                || !"start".equalsIgnoreCase(trimmed(call.header("X-Goog-Upload-Command")))) {
            throw ApiException.google(400, "[emulated] The emulator takes only resumable uploads: send "
                    + "X-Goog-Upload-Protocol: resumable and X-Goog-Upload-Command: start.");
        }
        Long declared = declaredLength(call.header("X-Goog-Upload-Header-Content-Length"));
        if (declared != null && declared > limits.maxUploadBytes()) {
            throw ApiException.google(400, "[emulated] File is too large: " + declared + " bytes; the maximum is "
                    + limits.maxUploadBytes() + " bytes.");
        }
        String[] metadata = readStartMetadata(call); // {name, displayName, mimeType}
        String requestedId = metadata[0] == null ? null : stripPrefix(metadata[0]);
        if (requestedId != null && !FILE_ID.matcher(requestedId).matches()) {
            throw ApiException.google(400, "[emulated] Invalid file name '" + metadata[0] + "': the id may have at most"
                    + " 40 characters of [a-z0-9-] and must not start or end with '-'.");
        }
        if (requestedId != null && files.get(requestedId).isPresent()) {
            throw ApiException.google(409, "[emulated] A file named files/" + requestedId + " already exists.");
        }
        String mimeType = metadata[2] != null ? metadata[2] : trimmed(call.header("X-Goog-Upload-Header-Content-Type"));
        GeminiUploadSession session = new GeminiUploadSession(IdGenerator.geminiId() + IdGenerator.geminiId(),
                requestedId, metadata[1], mimeType, trimmed(call.header("X-Goog-Upload-File-Name")), declared,
                files.newTempFile("upload"));
        sessions.put(session.id(), session);
        call.setHeader("x-goog-upload-url", call.origin() + "/upload/v1beta/files?upload_id=" + session.id()
                + "&upload_protocol=resumable");
        call.setHeader("x-goog-upload-status", "active");
        call.setHeader("x-goog-upload-chunk-granularity", Integer.toString(256 * 1024));
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeEndObject();
        });
    }

    private void chunk(ApiExchange call, String sessionId) throws IOException {
        GeminiUploadSession session = sessions.get(sessionId);
        if (session == null) {
            throw ApiException.google(404, "[emulated] No upload session " + sessionId + ".");
        }
        String command = trimmed(call.header("X-Goog-Upload-Command"));
        String commands = command == null ? "" : command.toLowerCase(Locale.ROOT).replace(" ", "");
        boolean upload = commands.equals("upload") || commands.startsWith("upload,");
        boolean finalize = commands.equals("finalize") || commands.endsWith(",finalize");
        boolean query = commands.equals("query");
        if (!upload && !finalize && !query) {
            throw ApiException.google(400, "[emulated] X-Goog-Upload-Command must be 'upload', 'upload, finalize',"
                    + " 'finalize' or 'query', not '" + command + "'.");
        }
        synchronized (session) {
            StoredFile done = session.file();
            if (done != null) {
                call.drainBody();
                if (!finalize && !query) {
                    throw ApiException.google(400, "[emulated] The upload " + sessionId + " is already finalized.");
                }
                answerFinal(call, done);
                return;
            }
            if (query) {
                call.drainBody();
                call.setHeader("x-goog-upload-status", "active");
                call.setHeader("x-goog-upload-size-received", Long.toString(session.received()));
                call.sendBytes(new byte[0], "text/plain");
                return;
            }
            if (upload) {
                long offset = declaredLength(call.header("X-Goog-Upload-Offset")) == null ? session.received()
                        : declaredLength(call.header("X-Goog-Upload-Offset"));
                session.append(offset, call.body(), limits.maxUploadBytes());
            }
            if (!finalize) {
                call.setHeader("x-goog-upload-status", "active");
                call.sendBytes(new byte[0], "text/plain");
                return;
            }
            finish(call, session);
        }
    }

    private void finish(ApiExchange call, GeminiUploadSession session) throws IOException {
        long size = session.received();
        if (size > limits.maxUploadBytes()) {
            discard(session);
            throw ApiException.google(400, "[emulated] File is too large: " + size + " bytes; the maximum is "
                    + limits.maxUploadBytes() + " bytes.");
        }
        if (session.declaredBytes() != null && session.declaredBytes() != size) {
            discard(session);
            throw ApiException.google(400, "[emulated] The upload has " + size + " bytes, but "
                    + "X-Goog-Upload-Header-Content-Length announced " + session.declaredBytes() + ".");
        }
        String id = session.requestedFileId() != null ? session.requestedFileId() : IdGenerator.geminiId();
        StoredFile file;
        try {
            file = files.register(session.data(), id, session.displayName(), session.mimeType(),
                    GeminiBatchFormat.UPLOADED, GeminiBatchFormat.FILE_LIFETIME_SECONDS);
        } catch (FileAlreadyExistsException e) {
            discard(session);
            throw ApiException.google(409, "[emulated] A file named files/" + id + " already exists.");
        }
        session.finished(file);
        stats.fileUploaded(session.nameForStats(file.id()));
        int lost = faults.nextLostResponse(ApiRoute.UPLOAD);
        if (lost != 0) {
            throw ApiException.injected(lost);
        }
        answerFinal(call, file);
    }

    private void discard(GeminiUploadSession session) throws IOException {
        sessions.remove(session.id());
        Files.deleteIfExists(session.data());
    }

    private static void answerFinal(ApiExchange call, StoredFile file) throws IOException {
        call.setHeader("x-goog-upload-status", "final");
        String origin = call.origin();
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeFieldName("file");
            GeminiFileJson.write(json, file, origin);
            json.writeEndObject();
        });
    }

    void list(ApiExchange call) throws IOException {
        int pageSize = QueryParams.intParam(call, "pageSize", 10, 1, 100);
        String token = call.query("pageToken");
        ListPage<StoredFile> page;
        try {
            page = files.list(null, false, token == null || token.isEmpty() ? null : token, pageSize);
        } catch (IllegalArgumentException e) {
            throw ApiException.google(400, "[emulated] Invalid page token: " + token);
        }
        String origin = call.origin();
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("files");
            for (StoredFile file : page.data()) {
                GeminiFileJson.write(json, file, origin);
            }
            json.writeEndArray();
            if (page.hasMore()) {
                json.writeStringField("nextPageToken", page.data().get(page.data().size() - 1).id());
            }
            json.writeEndObject();
        });
    }

    void retrieve(ApiExchange call, String id) throws IOException {
        StoredFile file = find(id);
        String origin = call.origin();
        call.sendJson(200, json -> GeminiFileJson.write(json, file, origin));
    }

    void delete(ApiExchange call, String id) throws IOException {
        if (!files.delete(id)) {
            throw notFound(id);
        }
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeEndObject();
        });
    }

    /** {@code GET …/files/{id}:download?alt=media}: a generated file's bytes. */
    void download(ApiExchange call, String id) throws IOException {
        if (!"media".equals(call.query("alt"))) {
            throw ApiException.google(400, "[emulated] Download needs the query parameter alt=media.");
        }
        StoredFile file = find(id);
        if (!GeminiBatchFormat.GENERATED.equals(file.purpose())) {
            throw ApiException.google(400, "[emulated] Only generated files can be downloaded; files/" + id
                    + " was uploaded.");
        }
        stats.outputFileDownloaded();
        OutputDamage damage = faults.nextOutputDamage();
        if (damage == null) {
            call.sendFile(file.path(), "application/jsonl");
        } else {
            call.sendBytes(damage.apply(Files.readAllBytes(file.path())), "application/jsonl");
        }
    }

    private StoredFile find(String id) {
        return files.get(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.google(404, "[emulated] File files/" + id + " does not exist or you do not have "
                + "permission to access it.");
    }

    /** Reads the optional start body {@code {"file": {"name", "displayName", "mimeType"}}} (either spelling). */
    private static String[] readStartMetadata(ApiExchange call) throws IOException {
        String[] metadata = new String[3];
        try (JsonParser parser = EmulatorJson.FACTORY.createParser(call.body())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return metadata;
            }
            if (first != JsonToken.START_OBJECT) {
                throw ApiException.google(400, "[emulated] The upload metadata must be a JSON object.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() != JsonToken.START_OBJECT || !field.equals("file")) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    JsonToken value = parser.nextToken();
                    String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    switch (key) {
                        case "name" -> metadata[0] = text;
                        case "displayName", "display_name" -> metadata[1] = text;
                        case "mimeType", "mime_type" -> metadata[2] = text;
                        default -> parser.skipChildren();
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.google(400, "[emulated] Invalid JSON payload received.");
        }
        return metadata;
    }

    private static String stripPrefix(String name) {
        return name.startsWith("files/") ? name.substring("files/".length()) : name;
    }

    private static Long declaredLength(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(header.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.google(400, "[emulated] Not a byte count: '" + header + "'.");
        }
    }

    private static String trimmed(String header) {
        return header == null ? null : header.trim();
    }
}
