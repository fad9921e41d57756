package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/** A small raw-HTTP client for the emulator's API (JDK HttpClient), used by the tests. */
final class TestClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> TERMINAL = Set.of("completed", "failed", "expired", "cancelled");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    TestClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** One answer: status, headers and body. */
    record Answer(int status, HttpResponse<byte[]> response) {
        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(new String(response.body(), StandardCharsets.UTF_8), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer test-key");
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Answer delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** Uploads with multipart/form-data; {@code extraFields} are added as form fields. */
    Answer upload(String filename, byte[] content, String purpose, Map<String, String> extraFields) {
        String boundary = "----test" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (purpose != null) {
                field(body, boundary, "purpose", purpose);
            }
            for (Map.Entry<String, String> extra : extraFields.entrySet()) {
                field(body, boundary, extra.getKey(), extra.getValue());
            }
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(content);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request("/files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    Answer upload(String filename, String content) {
        return upload(filename, content.getBytes(StandardCharsets.UTF_8), "batch", Map.of());
    }

    /** Uploads a JSONL text and returns the file id. */
    String uploadJsonl(String content) {
        Answer answer = upload("requests.jsonl", content);
        assertEquals(200, answer.status(), answer.text());
        return answer.json().get("id").asText();
    }

    Answer createBatch(String fileId, String endpoint, String metadataJson) {
        return postJson("/batches", "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"" + endpoint
                + "\",\"completion_window\":\"24h\"" + (metadataJson == null ? "" : ",\"metadata\":" + metadataJson)
                + "}");
    }

    /** Uploads, creates a chat batch and returns its id. */
    String startChatBatch(String jsonl) {
        Answer created = createBatch(uploadJsonl(jsonl), "/v1/chat/completions", null);
        assertEquals(200, created.status(), created.text());
        return created.json().get("id").asText();
    }

    JsonNode batch(String id) {
        Answer answer = get("/batches/" + id);
        assertEquals(200, answer.status(), answer.text());
        return answer.json();
    }

    /** Polls until the batch satisfies {@code condition}; gives up (failing) after a minute. */
    JsonNode awaitBatch(String id, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode batch = batch(id);
            if (condition.test(batch)) {
                return batch;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("batch " + id + " never reached the expected state: " + batch(id));
    }

    JsonNode awaitTerminal(String id) {
        return awaitBatch(id, batch -> TERMINAL.contains(batch.get("status").asText()));
    }

    /** The lines of a file, parsed. */
    List<JsonNode> lines(String fileId) {
        Answer answer = get("/files/" + fileId + "/content");
        assertEquals(200, answer.status(), answer.text());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : answer.text().split("\n")) {
            if (!line.isEmpty()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(line, e);
                }
            }
        }
        return lines;
    }

    static String chatLine(String customId, String userText) {
        return chatLine(customId, "gpt-emu", userText);
    }

    static String chatLine(String customId, String model, String userText) {
        try {
            return "{\"custom_id\":" + JSON.writeValueAsString(customId)
                    + ",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":"
                    + JSON.writeValueAsString(model) + ",\"messages\":[{\"role\":\"user\",\"content\":"
                    + JSON.writeValueAsString(userText) + "}]}}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} chat lines with custom ids {@code r-0} … and texts {@code question i}. */
    static String chatLines(int n) {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            jsonl.append(chatLine("r-" + i, "question " + i)).append('\n');
        }
        return jsonl.toString();
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value)
            throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
