package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Files API: upload (streamed to disk), list, retrieve, content, delete.
 *
 * <p>An empty list page has {@code first_id} and {@code last_id} null: the spec calls them required
 * strings, but what OpenAI sends when there is no file is not documented. (The official Java SDK
 * accepts the nulls unless its strict response validation is switched on.)
 */
final class FilesEndpoint {

    static final Set<String> UPLOAD_PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision", "user_data",
            "evals");
    static final long BATCH_FILE_LIFETIME_SECONDS = 30L * 24 * 3600;
    private static final int MAX_FIELD_BYTES = 64 * 1024;

    private final FileStore files;
    private final FaultInjector faults;
    private final EmulatorLimits limits;
    private final LiveStats stats;

    FilesEndpoint(FileStore files, FaultInjector faults, EmulatorLimits limits, LiveStats stats) {
        this.files = files;
        this.faults = faults;
        this.limits = limits;
        this.stats = stats;
    }

    void upload(ApiExchange call) throws IOException {
        String boundary = MultipartReader.boundaryOf(call.header("Content-Type"));
        if (boundary == null) {
            throw ApiException.invalidRequest("Expected a multipart/form-data body.", null);
        }
        MultipartReader parts = new MultipartReader(call.body(), boundary);
        Map<String, String> fields = new HashMap<>();
        Path written = null;
        String filename = null;
        long size = 0;
        boolean tooLarge = false;
        try {
            for (MultipartReader.Part part = parts.next(); part != null; part = parts.next()) {
                if ("file".equals(part.name()) && part.filename() != null && written == null) {
                    filename = part.filename();
                    written = files.newTempFile("upload");
                    size = copyAtMost(part.content(), written, limits.maxUploadBytes());
                    tooLarge = size > limits.maxUploadBytes();
                } else if (part.name() != null) {
                    fields.putIfAbsent(part.name(), readField(part.content()));
                }
            }
            if (written == null) {
                throw ApiException.invalidRequest("Missing required parameter: 'file'.", "file");
            }
            if (tooLarge) {
                throw ApiException.invalidRequest("File is too large: " + size + " bytes; the maximum is "
                        + limits.maxUploadBytes() + " bytes.", "file");
            }
            String purpose = fields.get("purpose");
            if (purpose == null) {
                throw ApiException.invalidRequest("Missing required parameter: 'purpose'.", "purpose");
            }
            if (!UPLOAD_PURPOSES.contains(purpose)) {
                throw ApiException.invalidRequest("Invalid value for 'purpose': '" + purpose + "'.", "purpose");
            }
            if (purpose.equals("batch") && !filename.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
                throw ApiException.invalidRequest("Invalid file format for Batch API. Must be .jsonl", null);
            }
            Long lifetime = expiresAfterSeconds(fields);
            if (lifetime == null && purpose.equals("batch")) {
                lifetime = BATCH_FILE_LIFETIME_SECONDS;
            }
            StoredFile file = files.register(written, filename, purpose, lifetime);
            written = null;
            stats.fileUploaded(file);
            int lost = faults.nextLostResponse(ApiRoute.UPLOAD);
            if (lost != 0) {
                throw ApiException.injected(lost);
            }
            call.sendJson(200, json -> writeFile(json, file));
        } catch (MultipartReader.MalformedMultipartException | java.io.EOFException e) {
            throw ApiException.invalidRequest("Malformed multipart body: " + e.getMessage(), null);
        } finally {
            if (written != null) {
                Files.deleteIfExists(written);
            }
        }
    }

    void list(ApiExchange call) throws IOException {
        int limit = QueryParams.intParam(call, "limit", 10_000, 1, 10_000);
        String order = call.query("order") == null ? "desc" : call.query("order");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalidRequest("Invalid value for 'order': must be 'asc' or 'desc'.", "order");
        }
        String after = call.query("after");
        ListPage<StoredFile> page;
        try {
            page = files.list(call.query("purpose"), order.equals("asc"), after, limit);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("No such File object: " + after, "after");
        }
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (StoredFile file : page.data()) {
                writeFile(json, file);
            }
            json.writeEndArray();
            EmulatorJson.writeNullableString(json, "first_id", page.data().isEmpty() ? null : page.data().get(0).id());
            EmulatorJson.writeNullableString(json, "last_id",
                    page.data().isEmpty() ? null : page.data().get(page.data().size() - 1).id());
            json.writeBooleanField("has_more", page.hasMore());
            json.writeEndObject();
        });
    }

    void retrieve(ApiExchange call, String id) throws IOException {
        StoredFile file = find(id);
        call.sendJson(200, json -> writeFile(json, file));
    }

    void content(ApiExchange call, String id) throws IOException {
        StoredFile file = find(id);
        OutputDamage damage = null;
        if (isBatchOutput(file)) {
            stats.outputFileDownloaded();
            damage = faults.nextOutputDamage();
        }
        if (damage == null) {
            call.sendFile(file.path(), "application/octet-stream");
        } else {
            call.sendBytes(damage.apply(Files.readAllBytes(file.path())), "application/octet-stream");
        }
    }

    private static boolean isBatchOutput(StoredFile file) {
        return "batch_output".equals(file.purpose()) && file.filename().endsWith(BatchEngine.OUTPUT_SUFFIX);
    }

    void delete(ApiExchange call, String id) throws IOException {
        if (!files.delete(id)) {
            throw notFound(id);
        }
        call.sendJson(200, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("object", "file");
            json.writeBooleanField("deleted", true);
            json.writeEndObject();
        });
    }

    private StoredFile find(String id) {
        return files.get(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("No such File object: " + id, "id");
    }

    static void writeFile(JsonGenerator json, StoredFile file) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", file.id());
        json.writeStringField("object", "file");
        json.writeNumberField("bytes", file.bytes());
        json.writeNumberField("created_at", file.createdAt());
        EmulatorJson.writeNullableLong(json, "expires_at", file.expiresAt());
        json.writeStringField("filename", file.filename());
        json.writeStringField("purpose", file.purpose());
        json.writeStringField("status", "processed");
        json.writeNullField("status_details");
        json.writeEndObject();
    }

    /** {@code expires_after[anchor]} / {@code [seconds]}, or the dotted Azure spelling; null when absent. */
    private static Long expiresAfterSeconds(Map<String, String> fields) {
        String anchor = fields.getOrDefault("expires_after[anchor]", fields.get("expires_after.anchor"));
        String seconds = fields.getOrDefault("expires_after[seconds]", fields.get("expires_after.seconds"));
        if (anchor == null && seconds == null) {
            return null;
        }
        if (!"created_at".equals(anchor)) {
            throw ApiException.invalidRequest("Invalid value for 'expires_after.anchor': must be 'created_at'.",
                    "expires_after.anchor");
        }
        try {
            long value = Long.parseLong(seconds == null ? "" : seconds.trim());
            if (value < 3600 || value > 2_592_000) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("Invalid value for 'expires_after.seconds': must be an integer from "
                    + "3600 to 2592000.", "expires_after.seconds");
        }
    }

    /**
     * Copies at most {@code max} bytes to {@code target} and reads past the rest (so the client can finish
     * sending and read the answer); returns the full size.
     */
    private static long copyAtMost(InputStream in, Path target, long max) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (total < max) {
                    out.write(buffer, 0, (int) Math.min(n, max - total));
                }
                total += n;
            }
        }
        return total;
    }

    private static String readField(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_FIELD_BYTES);
        in.transferTo(OutputStream.nullOutputStream());
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }
}
