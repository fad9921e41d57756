package io.github.llmbatch.emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * Google's error shape ({@code google.rpc.Status}, BATCH-PROTOCOLS.md §C.0): {@code {"code": <http
 * status>, "message", "status": <canonical name>}}, used for Gemini's error answers and failed result
 * lines; and the RFC 3339 timestamps of Gemini resources.
 */
final class GoogleStatus {

    private GoogleStatus() {
    }

    /** The canonical status name Google's HTTP mapping gives an HTTP status. */
    static String nameOf(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ALREADY_EXISTS";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> httpStatus >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }

    /**
     * Writes a Status object. With {@code retryAfterSeconds}, adds the {@code RetryInfo} detail Google sends
     * with quota errors (the Gemini SDKs read the delay from it, not from a {@code Retry-After} header).
     */
    static void write(JsonGenerator json, int code, String status, String message, Integer retryAfterSeconds)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField("code", code);
        json.writeStringField("message", message);
        json.writeStringField("status", status);
        if (retryAfterSeconds != null) {
            json.writeArrayFieldStart("details");
            json.writeStartObject();
            json.writeStringField("@type", "type.googleapis.com/google.rpc.RetryInfo");
            json.writeStringField("retryDelay", retryAfterSeconds + "s");
            json.writeEndObject();
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    static void write(JsonGenerator json, int code, String message) throws IOException {
        write(json, code, nameOf(code), message, null);
    }

    /** An error answer's body: {@code {"error": Status}}. */
    static void writeError(JsonGenerator json, ApiException error, Integer retryAfterSeconds) throws IOException {
        json.writeStartObject();
        json.writeFieldName("error");
        write(json, error.status(), statusOf(error), error.getMessage(), retryAfterSeconds);
        json.writeEndObject();
    }

    /** The canonical name an exception made for a Gemini call carries in its type, else the HTTP mapping. */
    static String statusOf(ApiException error) {
        String type = error.type();
        return type != null && type.matches("[A-Z_]+") ? type : nameOf(error.status());
    }

    /** RFC 3339 in UTC with {@code Z}, as Gemini writes times. */
    static String timestamp(long unixSeconds) {
        return Instant.ofEpochSecond(unixSeconds).toString();
    }
}
