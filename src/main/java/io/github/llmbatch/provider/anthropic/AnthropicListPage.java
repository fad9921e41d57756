package io.github.llmbatch.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code GET /v1/messages/batches} (§B.3), newest first:
 * {@code {"data":[MessageBatch…],"has_more","first_id","last_id"}}.
 *
 * @param nextAfterId the {@code after_id} of the next page: {@code last_id}, else the last item's id;
 *                    null when there is no next page
 */
record AnthropicListPage(List<AnthropicBatch> data, String nextAfterId) {

    static AnthropicListPage read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a list object but found " + parser.currentToken());
        }
        List<AnthropicBatch> data = new ArrayList<>();
        boolean hasMore = false;
        String lastId = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("data".equals(name) && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    data.add(AnthropicBatch.read(parser));
                }
            } else if ("has_more".equals(name)) {
                hasMore = value == JsonToken.VALUE_TRUE;
            } else if ("last_id".equals(name) && value == JsonToken.VALUE_STRING) {
                lastId = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        if (lastId == null && !data.isEmpty()) {
            lastId = data.get(data.size() - 1).id();
        }
        return new AnthropicListPage(data, hasMore ? lastId : null);
    }
}
