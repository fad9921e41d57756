package io.github.llmbatch.request;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A prompt template with {@code {{field}}} placeholders, parsed once so rendering a record is a
 * plain walk over literal and field parts (no regex per record).
 */
public final class Template {

    private final String source;
    private final String[] literals;
    private final String[] fields;

    private Template(String source, String[] literals, String[] fields) {
        this.source = source;
        this.literals = literals;
        this.fields = fields;
    }

    /**
     * @throws IllegalArgumentException on an unclosed or empty placeholder
     */
    public static Template parse(String source) {
        String text = source == null ? "" : source;
        List<String> literals = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        int pos = 0;
        while (true) {
            int open = text.indexOf("{{", pos);
            if (open < 0) {
                literals.add(text.substring(pos));
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed placeholder at character " + open + " in template: " + text);
            }
            String field = text.substring(open + 2, close).trim();
            if (field.isEmpty()) {
                throw new IllegalArgumentException("empty placeholder {{}} at character " + open + " in template: " + text);
            }
            literals.add(text.substring(pos, open));
            fields.add(field);
            pos = close + 2;
        }
        return new Template(text, literals.toArray(String[]::new), fields.toArray(String[]::new));
    }

    /** The distinct field names used, in order of first use. */
    public Set<String> fieldNames() {
        return new LinkedHashSet<>(List.of(fields));
    }

    public boolean isConstant() {
        return fields.length == 0;
    }

    /** Number of placeholders; literal {@code i} comes before placeholder {@code i}. */
    int placeholders() {
        return fields.length;
    }

    String literal(int i) {
        return literals[i];
    }

    String field(int i) {
        return fields[i];
    }

    @Override
    public String toString() {
        return source;
    }

    /** A placeholder's field is absent from the record. */
    public static final class MissingFieldException extends RuntimeException {
        private final String field;

        public MissingFieldException(String field) {
            super("missing field '" + field + "' used by the template", null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
