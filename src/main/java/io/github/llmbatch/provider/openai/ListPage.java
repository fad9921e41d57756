package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of an OpenAI list answer {@code {"object":"list","data":[…],"first_id","last_id","has_more"}}.
 *
 * @param nextCursor the {@code after} value for the next page: {@code last_id}, else the last item's id
 */
record ListPage<T>(List<T> data, boolean hasMore, String nextCursor) {

    @FunctionalInterface
    interface ItemReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    static <T> ListPage<T> read(JsonParser parser, ItemReader<T> itemReader, Function<T, String> idOf)
            throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a list object but found " + parser.currentToken());
        }
        List<T> data = new ArrayList<>();
        boolean hasMore = false;
        String lastId = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "data" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            data.add(itemReader.read(parser));
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                case "has_more" -> hasMore = value == JsonToken.VALUE_TRUE;
                case "last_id" -> lastId = JsonValues.text(parser);
                default -> parser.skipChildren();
            }
        }
        if ((lastId == null || lastId.isBlank()) && !data.isEmpty()) {
            lastId = idOf.apply(data.get(data.size() - 1));
        }
        return new ListPage<>(List.copyOf(data), hasMore, lastId);
    }
}
