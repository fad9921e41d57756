package io.github.llmbatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into plain maps and lists with the streaming parser, so tests can look inside what the
 * code wrote. Objects keep their field order; numbers are kept as their JSON text (so {@code 1.10}
 * stays {@code "1.10"} in a {@link Num}); a second value after the first is an error.
 */
public final class TestJson {

    private static final JsonFactory JSON = new JsonFactory();

    /** A JSON number, by its text. */
    public record Num(String text) {
    }

    private TestJson() {
    }

    /** A string as a JSON string literal. */
    public static String quote(String text) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    public static Object parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Object parse(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IllegalArgumentException("no JSON value");
            }
            Object value = read(p, t);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String json) {
        return (Map<String, Object>) parse(json);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(byte[] json) {
        return (Map<String, Object>) parse(json);
    }

    /** Follows a path of field names and list indexes. */
    @SuppressWarnings("unchecked")
    public static Object at(Object root, Object... path) {
        Object v = root;
        for (Object step : path) {
            v = step instanceof Integer i ? ((List<Object>) v).get(i) : ((Map<String, Object>) v).get(step);
        }
        return v;
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (m.containsKey(name)) {
                        throw new IllegalArgumentException("duplicate field " + name);
                    }
                    m.put(name, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, e));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Num(p.getText());
            }
            case VALUE_TRUE -> {
                return true;
            }
            case VALUE_FALSE -> {
                return false;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalArgumentException("unexpected " + t);
        }
    }
}
