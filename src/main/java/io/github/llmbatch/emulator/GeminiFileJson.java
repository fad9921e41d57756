package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes Gemini's {@code File} resource (BATCH-PROTOCOLS.md §C.1); int64 values as strings. */
final class GeminiFileJson {

    private GeminiFileJson() {
    }

    /**
     * @param origin {@code http://host:port} the client called, for {@code uri} and {@code downloadUri}
     */
    static void write(JsonGenerator json, StoredFile file, String origin) throws IOException {
        boolean generated = GeminiBatchFormat.GENERATED.equals(file.purpose());
        json.writeStartObject();
        json.writeStringField("name", "files/" + file.id());
        if (file.filename() != null) {
            json.writeStringField("displayName", file.filename());
        }
        if (file.mimeType() != null) {
            json.writeStringField("mimeType", file.mimeType());
        }
        json.writeStringField("sizeBytes", Long.toString(file.bytes()));
        json.writeStringField("createTime", GoogleStatus.timestamp(file.createdAt()));
        json.writeStringField("updateTime", GoogleStatus.timestamp(file.createdAt()));
        if (file.expiresAt() != null) {
            json.writeStringField("expirationTime", GoogleStatus.timestamp(file.expiresAt()));
        }
        json.writeStringField("uri", origin + "/v1beta/files/" + file.id());
        if (generated) {
            json.writeStringField("downloadUri", origin + "/download/v1beta/files/" + file.id() + ":download?alt=media");
        }
        json.writeStringField("state", "ACTIVE");
        json.writeStringField("source", generated ? "GENERATED" : "UPLOADED");
        json.writeEndObject();
    }
}
