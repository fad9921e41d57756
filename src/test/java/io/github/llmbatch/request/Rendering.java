package io.github.llmbatch.request;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.llmbatch.TestJson;

import java.nio.charset.StandardCharsets;

/** Renders a template the way request-line writers do: a record parsed from JSON, then the compiled template. */
final class Rendering {

    private Rendering() {
    }

    /** The text a template renders for a record. */
    static String userContent(Template template, String recordJson) {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, template, null, null);
        FieldSlots slots = FieldSlots.of("id", spec);
        RecordValues values = new RecordValues(slots);
        byte[] record = recordJson.getBytes(StandardCharsets.UTF_8);
        new RecordParser(slots).parse(record, 0, record.length, name -> { }, values);
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.write('"');
        new EscapedTemplate(template, slots).render(values, out);
        out.write('"');
        return (String) TestJson.parse(out.toByteArray());
    }
}
