package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.RemoteFile;

import java.io.IOException;

/** Reads an OpenAI file object ({@code OpenAIFile}). */
final class FileObjectReader {

    private FileObjectReader() {
    }

    /** Reads the object the parser is on ({@code START_OBJECT}) up to its end. */
    static RemoteFile read(JsonParser parser) throws IOException {
        expectObject(parser, "file");
        String id = null;
        String fileName = null;
        long bytes = 0;
        long createdAt = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "id" -> id = JsonValues.text(parser);
                case "filename" -> fileName = JsonValues.text(parser);
                case "bytes" -> bytes = JsonValues.count(parser);
                case "created_at" -> createdAt = JsonValues.epochSeconds(parser);
                default -> parser.skipChildren();
            }
        }
        if (id == null || id.isBlank()) {
            throw new IOException("file object without an id");
        }
        return new RemoteFile(id, fileName, bytes, createdAt);
    }

    static void expectObject(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a " + what + " object but found " + parser.currentToken());
        }
    }
}
