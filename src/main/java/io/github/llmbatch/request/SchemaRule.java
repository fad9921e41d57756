package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a JSON Schema (sub)schema that answers are checked against: {@code type} (one or a
 * list), {@code properties}, {@code required}, {@code enum} and {@code items}. Other keywords are
 * sent to the provider, which enforces them, but not checked here.
 *
 * @param types      the JSON types allowed; empty when any is
 * @param properties the declared properties in schema order
 * @param enumValues the allowed values as compact JSON, or null when there is no {@code enum}
 * @param items      the schema of array items, or null
 */
record SchemaRule(Set<String> types, Map<String, SchemaRule> properties, List<String> required,
                  Set<String> enumValues, SchemaRule items) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Reads the (sub)schema the parser stands on (its START_OBJECT); other values allow anything. */
    static SchemaRule read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new SchemaRule(Set.of(), Map.of(), List.of(), null, null);
        }
        Set<String> types = new LinkedHashSet<>();
        Map<String, SchemaRule> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        Set<String> enumValues = null;
        SchemaRule items = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String keyword = p.currentName();
            JsonToken value = p.nextToken();
            switch (keyword) {
                case "type" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        types.add(p.getText());
                    } else {
                        for (String t : strings(p)) {
                            types.add(t);
                        }
                    }
                }
                case "properties" -> {
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            properties.put(name, read(p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "required" -> required.addAll(strings(p));
                case "enum" -> enumValues = values(p);
                case "items" -> items = read(p);
                default -> p.skipChildren();
            }
        }
        return new SchemaRule(Collections.unmodifiableSet(types), Collections.unmodifiableMap(properties),
                List.copyOf(required), enumValues, items);
    }

    /** The strings of the array the parser stands on (other items are left out). */
    private static List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static Set<String> values(JsonParser p) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            StringWriter text = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(text)) {
                g.copyCurrentStructure(p);
            }
            out.add(text.toString());
        }
        return out;
    }

    /** Whether a value of JSON type {@code type} is allowed; an integer is a number too. */
    boolean allows(String type) {
        return types.isEmpty() || types.contains(type) || type.equals("integer") && types.contains("number");
    }
}
