package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Job parameter {@code requestOptions}: a JSON object whose members go into every request body as
 * they are, for the provider options llm-batch does not model ({@code seed}, {@code top_p},
 * {@code reasoning_effort}, {@code thinking}, {@code safetySettings}…). Each member is kept as
 * compact JSON text, so request-line writers splice it into their precompiled bytes once.
 */
public final class RequestOptions {

    public static final RequestOptions NONE = new RequestOptions(Map.of());

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, String> members;

    private RequestOptions(Map<String, String> members) {
        this.members = members;
    }

    /**
     * @param json the parameter's value; null or blank gives {@link #NONE}
     * @throws IllegalArgumentException when it is not one JSON object, or names a key twice
     */
    public static RequestOptions parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        Map<String, String> members = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject("it is not one");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                StringWriter value = new StringWriter();
                try (JsonGenerator g = JSON.createGenerator(value)) {
                    g.copyCurrentStructure(p);
                }
                if (members.put(key, value.toString()) != null) {
                    throw new IllegalArgumentException("requestOptions names '" + key + "' twice");
                }
            }
            if (p.nextToken() != null) {
                throw notAnObject("there is text after the object");
            }
        } catch (IOException e) {
            throw notAnObject(e.getMessage().lines().findFirst().orElse("not valid JSON"));
        }
        return new RequestOptions(Collections.unmodifiableMap(members));
    }

    private static IllegalArgumentException notAnObject(String why) {
        return new IllegalArgumentException("requestOptions must be a JSON object of request-body members, like"
                + " {\"seed\":7,\"top_p\":0.9}: " + why);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** The value of a member as compact JSON, or null. */
    public String member(String key) {
        return members.get(key);
    }

    /**
     * Refuses the options when one of their keys is one llm-batch writes itself in these requests:
     * a body with a key twice is refused by some providers and read either way by others.
     *
     * @param keysWeSet  the body keys the request-line writer writes for this job
     * @param requests   what the requests are, for the message ({@code openai /v1/chat/completions})
     * @param normalised how the provider compares keys (Gemini takes snake_case and lowerCamelCase alike)
     */
    public void refuseCollisions(Collection<String> keysWeSet, String requests, UnaryOperator<String> normalised) {
        for (String key : members.keySet()) {
            for (String ours : keysWeSet) {
                if (normalised.apply(key).equals(normalised.apply(ours))) {
                    throw new IllegalArgumentException("requestOptions sets '" + key + "', which llm-batch sets"
                            + " itself in " + requests + " requests (it writes " + String.join(", ", keysWeSet)
                            + "); use llm-batch's own parameter for it (model, systemPrompt, userTemplate, maxTokens,"
                            + " temperature, responseSchema) or leave it out of requestOptions");
                }
            }
        }
    }

    /** {@link #refuseCollisions(Collection, String, UnaryOperator)} comparing keys as they are. */
    public void refuseCollisions(Collection<String> keysWeSet, String requests) {
        refuseCollisions(keysWeSet, requests, UnaryOperator.identity());
    }

    /**
     * The members except {@code left}, each as {@code ,"key":value}: ready to be written before the
     * closing brace of an object that already has members.
     */
    public String spliced(Set<String> left) {
        StringBuilder out = new StringBuilder();
        members.forEach((key, value) -> {
            if (!left.contains(key)) {
                out.append(",\"").append(new String(JsonStringEncoder.getInstance().quoteAsString(key))).append("\":").append(value);
            }
        });
        return out.toString();
    }

    /** All members, as {@link #spliced(Set)}. */
    public String spliced() {
        return spliced(Set.of());
    }

    /** The members as a JSON object (the fixed value a restart must keep). */
    @Override
    public String toString() {
        return members.isEmpty() ? "" : "{" + spliced().substring(1) + "}";
    }
}
