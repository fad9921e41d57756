package io.github.llmbatch.request;

import io.github.llmbatch.TestJson;

import java.nio.charset.StandardCharsets;

import static io.github.llmbatch.TestJson.at;

/** Builds request lines the way prepare does: a record parsed from JSON, then the builder. */
final class Rendering {

    private Rendering() {
    }

    static byte[] line(RequestSpec spec, String customId, String recordJson) {
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = recordJson.getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        return new RequestLineBuilder(spec, slots).build(customId, values);
    }

    /** The user message a template renders for a record. */
    static String userContent(Template template, String recordJson) {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, template, null, null);
        return (String) at(TestJson.parse(line(spec, "c", recordJson)), "body", "messages", 0, "content");
    }
}
