package io.github.llmbatch.provider.openai;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multipart/form-data body of text fields followed by one file part. The file is streamed from
 * disk by the JDK, never held in memory; {@link #publisher()} makes a fresh publisher per attempt.
 */
final class MultipartForm {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private String fileField;
    private String fileName;
    private String fileContentType;
    private Path file;

    MultipartForm() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder hex = new StringBuilder("llm-batch-");
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        boundary = hex.toString();
    }

    MultipartForm field(String name, String value) {
        fields.put(name, value);
        return this;
    }

    MultipartForm file(String name, String fileName, String contentType, Path file) {
        this.fileField = name;
        this.fileName = fileName;
        this.fileContentType = contentType;
        this.file = file;
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    BodyPublisher publisher() throws FileNotFoundException {
        StringBuilder head = new StringBuilder();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            head.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(quoted(field.getKey())).append("\"\r\n\r\n")
                    .append(field.getValue()).append("\r\n");
        }
        List<BodyPublisher> parts = new ArrayList<>();
        if (file != null) {
            head.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(quoted(fileField))
                    .append("\"; filename=\"").append(quoted(fileName)).append("\"\r\n")
                    .append("Content-Type: ").append(fileContentType).append("\r\n\r\n");
            parts.add(BodyPublishers.ofString(head.toString(), StandardCharsets.UTF_8));
            parts.add(BodyPublishers.ofFile(file));
            parts.add(BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        } else {
            head.append("--").append(boundary).append("--\r\n");
            parts.add(BodyPublishers.ofString(head.toString(), StandardCharsets.UTF_8));
        }
        return BodyPublishers.concat(parts.toArray(BodyPublisher[]::new));
    }

    // As browsers do (HTML form encoding): quotes and line breaks percent-encoded, the rest as UTF-8.
    private static String quoted(String value) {
        return value.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }
}
