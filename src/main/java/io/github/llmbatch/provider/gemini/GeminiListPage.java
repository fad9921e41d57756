package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a Gemini list answer: {@code {"files":[…],"nextPageToken":"…"}} or
 * {@code {"operations":[…],"nextPageToken":"…"}} (§C.1, §C.5); the last page has no token.
 */
record GeminiListPage<T>(List<T> items, String nextPageToken) {

    @FunctionalInterface
    interface ItemReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    static <T> GeminiListPage<T> read(JsonParser parser, String itemsKey, ItemReader<T> itemReader) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a list object but found " + parser.currentToken());
        }
        List<T> items = new ArrayList<>();
        String token = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = ProtoJsonValues.fieldName(parser);
            JsonToken value = parser.nextToken();
            if (itemsKey.equals(field) && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(itemReader.read(parser));
                }
            } else if ("nextPageToken".equals(field)) {
                token = ProtoJsonValues.text(parser);
            } else {
                parser.skipChildren();
            }
        }
        return new GeminiListPage<>(List.copyOf(items), token == null || token.isEmpty() ? null : token);
    }
}
