package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Job parameter {@code responseSchema}: the JSON Schema every answer must follow. Providers get it in
 * their own way (a {@code json_schema} response format, a forced tool, {@code responseJsonSchema}); the
 * merge checks each answer against it ({@link #check}) and writes the parsed object.
 *
 * <p>No JSON Schema library is on the classpath (only jackson-core), and a full validator would be a
 * heavy dependency for what the merge needs, so {@link #check} covers the keywords that decide whether
 * an answer can land in fields: {@code type} (string, number, integer, boolean, array, object, null),
 * {@code properties}, {@code required}, {@code enum} and {@code items}. The provider enforces the rest.
 */
public final class ResponseSchema {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_NAME = 64;

    private final String name;
    private final String json;
    private final SchemaRule root;
    private final List<String> properties;

    private ResponseSchema(String name, String json, SchemaRule root) {
        this.name = name;
        this.json = json;
        this.root = root;
        this.properties = List.copyOf(root.properties().keySet());
    }

    /**
     * Reads a schema file; its name (without extension, reduced to {@code [a-zA-Z0-9_-]}) names the
     * schema at the provider.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is not an object schema
     */
    public static ResponseSchema read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("responseSchema " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return parse(nameOf(file), text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("responseSchema " + file + ": " + e.getMessage());
        }
    }

    /**
     * @throws IllegalArgumentException when the text is not a JSON object schema of {@code "type":"object"}
     *         with at least one property
     */
    public static ResponseSchema parse(String name, String text) {
        String compact;
        SchemaRule root;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON Schema object");
            }
            StringWriter out = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.copyCurrentStructure(p);
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the schema object");
            }
            compact = out.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()));
        }
        try (JsonParser p = JSON.createParser(compact)) {
            p.nextToken();
            root = SchemaRule.read(p);
        } catch (IOException e) {
            throw new IllegalStateException("compact copy of a parsed schema does not parse", e);
        }
        if (!root.types().equals(Set.of("object")) || root.properties().isEmpty()) {
            throw new IllegalArgumentException("the schema must be {\"type\":\"object\",\"properties\":{...}} with"
                    + " at least one property: answers land in one field per top-level property");
        }
        return new ResponseSchema(name, compact, root);
    }

    private static String nameOf(Path file) {
        String base = file.getFileName().toString();
        int dot = base.indexOf('.');
        String bare = (dot > 0 ? base.substring(0, dot) : base).replaceAll("[^a-zA-Z0-9_-]", "_");
        if (bare.isEmpty()) {
            return "answer";
        }
        return bare.length() > MAX_NAME ? bare.substring(0, MAX_NAME) : bare;
    }

    /** The schema's name at the provider ({@code json_schema.name}, the Anthropic tool's name). */
    public String name() {
        return name;
    }

    /** The schema as compact JSON, as it goes into request lines. */
    public String json() {
        return json;
    }

    /** The top-level property names in schema order: the answer's output columns. */
    public List<String> properties() {
        return properties;
    }

    /**
     * Parses an answer and checks it against the schema.
     *
     * @param answer the model's text (or a tool's input) as it came
     * @throws InvalidAnswerException saying what is wrong and where ({@code $.score})
     */
    public StructuredAnswer check(String answer) throws InvalidAnswerException {
        StringWriter out = new StringWriter(answer.length());
        String[] values = new String[properties.size()];
        try (JsonParser p = JSON.createParser(answer); JsonGenerator g = JSON.createGenerator(out)) {
            if (p.nextToken() == null) {
                throw new InvalidAnswerException("the answer is empty, not a JSON object");
            }
            new Walk(p, g, out, values).value(root, "$", 0);
            g.flush();
            if (p.nextToken() != null) {
                throw new InvalidAnswerException("the answer has text after its JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidAnswerException("the answer is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidAnswerException("the answer cannot be read: " + e.getMessage());
        }
        return new StructuredAnswer(out.toString(), Arrays.asList(values));
    }

    /** One pass over an answer: copies it compactly while checking each value against its rule. */
    private final class Walk {
        private final JsonParser p;
        private final JsonGenerator g;
        private final StringWriter out;
        private final String[] values;

        Walk(JsonParser p, JsonGenerator g, StringWriter out, String[] values) {
            this.p = p;
            this.g = g;
            this.out = out;
            this.values = values;
        }

        void value(SchemaRule rule, String path, int depth) throws IOException, InvalidAnswerException {
            String type = typeOf(p);
            if (rule != null && !rule.allows(type)) {
                throw new InvalidAnswerException(path + " is " + article(type) + ", the schema wants "
                        + String.join(" or ", rule.types()));
            }
            int start = position();
            switch (p.currentToken()) {
                case START_OBJECT -> object(rule, path, depth);
                case START_ARRAY -> {
                    g.writeStartArray();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        value(rule == null ? null : rule.items(), path + "[" + i++ + "]", depth + 1);
                    }
                    g.writeEndArray();
                }
                default -> g.copyCurrentEvent(p);
            }
            if (rule != null && rule.enumValues() != null && !rule.enumValues().contains(written(start))) {
                throw new InvalidAnswerException(path + " is " + written(start) + ", not one of the schema's enum "
                        + rule.enumValues());
            }
        }

        private void object(SchemaRule rule, String path, int depth) throws IOException, InvalidAnswerException {
            g.writeStartObject();
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                g.writeFieldName(field);
                p.nextToken();
                seen.add(field);
                int start = position();
                value(rule == null ? null : rule.properties().get(field), path + "." + field, depth + 1);
                int column = depth == 0 ? properties.indexOf(field) : -1;
                if (column >= 0) {
                    values[column] = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : written(start);
                }
            }
            g.writeEndObject();
            if (rule != null) {
                List<String> missing = new ArrayList<>();
                for (String required : rule.required()) {
                    if (!seen.contains(required)) {
                        missing.add(required);
                    }
                }
                if (!missing.isEmpty()) {
                    throw new InvalidAnswerException(path + " lacks the required " + String.join(", ", missing));
                }
            }
        }

        private int position() throws IOException {
            g.flush();
            return out.getBuffer().length();
        }

        // The generator writes a value's separator (':' or ',') with the value; a value never starts with one.
        private String written(int start) throws IOException {
            String text = out.getBuffer().substring(start, position());
            return text.startsWith(":") || text.startsWith(",") ? text.substring(1) : text;
        }
    }

    private static String typeOf(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT -> "integer";
            // 2.0 is an integer in JSON Schema
            case VALUE_NUMBER_FLOAT -> isWhole(p.getDecimalValue()) ? "integer" : "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            default -> "null";
        };
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static String article(String type) {
        return type.equals("null") ? "null" : (type.startsWith("a") || type.startsWith("i") || type.startsWith("o")
                ? "an " : "a ") + type;
    }

    private static String firstLine(String message) {
        return message == null ? "parse error" : message.lines().findFirst().orElse("parse error");
    }
}
