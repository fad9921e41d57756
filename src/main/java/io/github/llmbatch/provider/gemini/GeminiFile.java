package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.RemoteFile;

import java.io.IOException;

/**
 * Reads a Gemini File object (§C.1) as a {@link RemoteFile}: its id is the resource name
 * ({@code files/<id>}, what {@code inputConfig.fileName} takes), its file name the {@code displayName}.
 */
final class GeminiFile {

    private GeminiFile() {
    }

    /** Reads the object the parser is on ({@code START_OBJECT}) up to its end. */
    static RemoteFile read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a file object but found " + parser.currentToken());
        }
        String name = null;
        String displayName = null;
        long bytes = 0;
        long createdAt = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            parser.nextToken();
            switch (field) {
                case "name" -> name = ProtoJsonValues.text(parser);
                case "displayName" -> displayName = ProtoJsonValues.text(parser);
                case "sizeBytes" -> bytes = ProtoJsonValues.int64(parser);
                case "createTime" -> createdAt = ProtoJsonValues.epochSeconds(parser);
                default -> parser.skipChildren();
            }
        }
        if (name == null || name.isBlank()) {
            throw new IOException("file object without a name");
        }
        return new RemoteFile(name, displayName, bytes, createdAt);
    }

    /** The {@code file} of an upload's final answer {@code {"file": File}}. */
    static RemoteFile readUploaded(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected {\"file\": …} but found " + parser.currentToken());
        }
        RemoteFile file = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean isFile = "file".equals(parser.currentName());
            if (parser.nextToken() == JsonToken.START_OBJECT && isFile) {
                file = read(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (file == null) {
            throw new IOException("upload answer without a file");
        }
        return file;
    }
}
