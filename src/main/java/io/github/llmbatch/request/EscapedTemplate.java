package io.github.llmbatch.request;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * A template compiled for one job: its literal parts already escaped as JSON string content in
 * UTF-8, its placeholders bound to field slots. Rendering appends bytes only. Public so each
 * provider's request-line builder renders templates the same way.
 */
public final class EscapedTemplate {

    private final byte[][] literals;
    private final int[] slots;
    private final String[] names;

    public EscapedTemplate(Template template, FieldSlots fieldSlots) {
        JsonStringEncoder escape = JsonStringEncoder.getInstance();
        int n = template.placeholders();
        literals = new byte[n + 1][];
        slots = new int[n];
        names = new String[n];
        for (int i = 0; i <= n; i++) {
            literals[i] = escape.quoteAsUTF8(template.literal(i));
        }
        for (int i = 0; i < n; i++) {
            names[i] = template.field(i);
            slots[i] = fieldSlots.slotOf(names[i]);
        }
    }

    /**
     * @throws Template.MissingFieldException naming the first field the record lacks
     */
    public void render(RecordValues values, ByteArrayBuilder out) {
        for (int i = 0; i < slots.length; i++) {
            out.write(literals[i]);
            if (!values.present(slots[i])) {
                throw new Template.MissingFieldException(names[i]);
            }
            values.appendEscaped(slots[i], out);
        }
        out.write(literals[slots.length]);
    }
}
