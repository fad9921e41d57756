package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema a request asks its answer to follow (OpenAI's {@code response_format} or Responses
 * {@code text.format}, Gemini's {@code responseJsonSchema}, Anthropic's forced tool), and the emulator's
 * deterministic answer to it: a value for every property, by type, so it is valid against the schema:
 * <ul>
 * <li>{@code enum} → its first value, {@code const} → it, {@code anyOf}/{@code oneOf} → the first choice;</li>
 * <li>object → every property in schema order; array → {@code minItems} items (at least one);</li>
 * <li>string → {@code [emulated] CUSTOM_ID}; integer → {@code minimum} or 1; number → {@code minimum} or
 *     0.5; boolean → true; null → null (a list of types: the first that is not null).</li>
 * </ul>
 * A {@linkplain #broken() broken} answer (fault {@code invalidOutput}) is the valid answer's text cut in
 * half, which is no JSON; where the protocol only carries an object (Anthropic's tool input) it is an
 * object whose every property has the wrong type.
 *
 * @param name   the schema's name (json_schema name, tool name), or null
 * @param schema the schema as maps, lists and scalars
 */
record AnswerSchema(String name, Map<String, Object> schema, boolean broken) {

    /** Reads the schema object the parser stands on. */
    static AnswerSchema read(String name, JsonParser parser) throws IOException {
        Object tree = tree(parser);
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = tree instanceof Map<?, ?> ? (Map<String, Object>) tree : Map.of();
        return new AnswerSchema(name, schema, false);
    }

    AnswerSchema withName(String schemaName) {
        return new AnswerSchema(schemaName, schema, broken);
    }

    AnswerSchema asBroken() {
        return new AnswerSchema(name, schema, true);
    }

    /** The answer as text: JSON, or when broken the JSON cut in half. */
    String text(String customId) {
        String json = new String(EmulatorJson.render(g -> write(g, schema, customId)), StandardCharsets.UTF_8);
        return broken ? json.substring(0, json.length() / 2) : json;
    }

    /** The answer as a JSON object (Anthropic's tool input); when broken, every property of the wrong type. */
    void writeObject(JsonGenerator json, String customId) throws IOException {
        if (!broken) {
            write(json, schema, customId);
            return;
        }
        json.writeStartObject();
        for (Map.Entry<String, Object> property : properties(schema).entrySet()) {
            json.writeFieldName(property.getKey());
            if ("string".equals(type(map(property.getValue())))) {
                json.writeNumber(1);
            } else {
                json.writeString("[emulated] invalid output");
            }
        }
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, Map<String, Object> schema, String customId) throws IOException {
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            writeValue(json, values.get(0));
            return;
        }
        if (schema.containsKey("const")) {
            writeValue(json, schema.get("const"));
            return;
        }
        for (String choice : List.of("anyOf", "oneOf")) {
            if (schema.get(choice) instanceof List<?> choices && !choices.isEmpty()) {
                write(json, map(choices.get(0)), customId);
                return;
            }
        }
        switch (type(schema)) {
            case "object" -> {
                json.writeStartObject();
                for (Map.Entry<String, Object> property : properties(schema).entrySet()) {
                    json.writeFieldName(property.getKey());
                    write(json, map(property.getValue()), customId);
                }
                json.writeEndObject();
            }
            case "array" -> {
                json.writeStartArray();
                long items = schema.get("minItems") instanceof Number n ? Math.max(1, n.longValue()) : 1;
                for (long i = 0; i < items; i++) {
                    write(json, map(schema.get("items")), customId);
                }
                json.writeEndArray();
            }
            case "integer" -> json.writeNumber(schema.get("minimum") instanceof Number n ? n.longValue() : 1);
            case "number" -> json.writeNumber(schema.get("minimum") instanceof Number n ? n.doubleValue() : 0.5);
            case "boolean" -> json.writeBoolean(true);
            case "null" -> json.writeNull();
            default -> json.writeString("[emulated] " + customId);
        }
    }

    /** The schema's type; a list gives its first non-null type; none is read from the other keywords. */
    private static String type(Map<String, Object> schema) {
        Object type = schema.get("type");
        if (type instanceof String t) {
            return t;
        }
        if (type instanceof List<?> types) {
            for (Object t : types) {
                if (t instanceof String s && !s.equals("null")) {
                    return s;
                }
            }
            return "null";
        }
        return schema.containsKey("properties") ? "object" : schema.containsKey("items") ? "array" : "string";
    }

    private static Map<String, Object> properties(Map<String, Object> schema) {
        return map(schema.get("properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Map<?, ?> m) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                json.writeFieldName((String) e.getKey());
                writeValue(json, e.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeValue(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Long n) {
            json.writeNumber(n);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeNull();
        }
    }

    /** The value the parser stands on as maps (in key order), lists, strings, longs, doubles, booleans, null. */
    private static Object tree(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    map.put(key, tree(parser));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(tree(parser));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            default -> {
                return null;
            }
        }
    }
}
