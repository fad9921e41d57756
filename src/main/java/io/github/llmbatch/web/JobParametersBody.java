package io.github.llmbatch.web;

import java.io.StringReader;
import java.util.Map;
import java.util.Properties;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/**
 * The job parameters a caller sends as a JSON object, as the {@code Properties} that
 * {@code JobOperator} takes. Every runtime reads job parameters with
 * {@code Properties.getProperty}, which sees only strings, so numbers and booleans become their
 * JSON text ({@code 256} becomes {@code "256"}); a parameter cannot hold an object or an array.
 */
final class JobParametersBody {

    private JobParametersBody() {
    }

    /** An empty or blank body means no parameters. */
    static Properties parse(String body) {
        Properties parameters = new Properties();
        if (body == null || body.isBlank()) {
            return parameters;
        }
        JsonValue json;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            json = reader.readValue();
        } catch (JsonParsingException e) {
            throw new InvalidRequestException("the body is not JSON: " + e.getMessage());
        }
        if (json.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException("the job parameters must be a JSON object, not "
                    + json.getValueType().name().toLowerCase());
        }
        for (Map.Entry<String, JsonValue> entry : ((JsonObject) json).entrySet()) {
            String value = asString(entry.getKey(), entry.getValue());
            if (value != null) {
                parameters.setProperty(entry.getKey(), value);
            }
        }
        return parameters;
    }

    /** {@code null} leaves the parameter out, as if it had not been sent. */
    private static String asString(String name, JsonValue value) {
        switch (value.getValueType()) {
            case STRING:
                return ((JsonString) value).getString();
            case NUMBER:
            case TRUE:
            case FALSE:
                return value.toString();
            case NULL:
                return null;
            default:
                throw new InvalidRequestException("job parameter '" + name
                        + "' is a JSON " + value.getValueType().name().toLowerCase()
                        + "; a job parameter is a string, number or boolean");
        }
    }
}
