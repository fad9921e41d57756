package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Renders result lines ({@code BatchRequestOutput}, BATCH-PROTOCOLS.md §A.7):
 * {@code {"id":"batch_req_…","custom_id":…,"response":{"status_code":…,"request_id":"req_…","body":{…}},"error":null}}
 * for executed requests, {@code {…,"response":null,"error":{"code":…,"message":…}}} for never-executed ones.
 */
final class ResultLines {

    private ResultLines() {
    }

    static byte[] executed(String customId, Responder.Reply reply) {
        return EmulatorJson.render(json -> {
            start(json, customId);
            json.writeObjectFieldStart("response");
            json.writeNumberField("status_code", reply.status());
            json.writeStringField("request_id", IdGenerator.requestId());
            json.writeFieldName("body");
            reply.body().write(json);
            json.writeEndObject();
            json.writeNullField("error");
            json.writeEndObject();
        });
    }

    /** @param code {@code batch_expired}, {@code batch_cancelled} or {@code request_timeout} */
    static byte[] notExecuted(String customId, String code, String message) {
        return EmulatorJson.render(json -> {
            start(json, customId);
            json.writeNullField("response");
            json.writeObjectFieldStart("error");
            json.writeStringField("code", code);
            json.writeStringField("message", message);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void start(JsonGenerator json, String customId) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", "batch_req_" + IdGenerator.requestId().substring(4));
        json.writeStringField("custom_id", customId);
    }
}
