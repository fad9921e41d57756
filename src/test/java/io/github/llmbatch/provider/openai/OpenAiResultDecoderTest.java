package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ResultLine.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenAiResultDecoderTest {

    // BATCH-PROTOCOLS.md §A.7, composed examples
    private static final String CHAT_OK = "{\"id\":\"batch_req_a1\",\"custom_id\":\"q-0001\",\"response\":{\"status_code\":200,\"request_id\":\"req_11\",\"body\":{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1767226000,\"model\":\"gpt-x-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"11\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}},\"error\":null}";
    private static final String CHAT_400 = "{\"id\":\"batch_req_a2\",\"custom_id\":\"q-0002\",\"response\":{\"status_code\":400,\"request_id\":\"req_12\",\"body\":{\"error\":{\"message\":\"max_tokens is too large for this model.\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":null}}},\"error\":null}";
    private static final String EXPIRED = "{\"id\":\"batch_req_a3\",\"custom_id\":\"q-0003\",\"response\":null,\"error\":{\"code\":\"batch_expired\",\"message\":\"The batch expired before this request could be executed.\"}}";

    private final OpenAiResultDecoder decoder = new OpenAiResultDecoder();

    private ResultLine decode(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 0, bytes.length);
    }

    @Test
    void succeededChatLine() {
        ResultLine r = decode(CHAT_OK);
        assertEquals(new ResultLine("q-0001", Kind.SUCCEEDED, 200, null, null, "\"11\"",
                "{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}"), r);
    }

    @Test
    void httpErrorLineTakesTheTypeWhenTheCodeIsNull() {
        assertEquals(new ResultLine("q-0002", Kind.HTTP_ERROR, 400, "invalid_request_error",
                "max_tokens is too large for this model.", null, null), decode(CHAT_400));
    }

    @Test
    void httpErrorLinePrefersTheCode() {
        String line = "{\"id\":\"batch_req_b\",\"custom_id\":\"r-9\",\"response\":{\"status_code\":429,\"request_id\":\"req_9\",\"body\":{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}},\"error\":null}";
        ResultLine r = decode(line);
        assertEquals(Kind.HTTP_ERROR, r.kind());
        assertEquals(429, r.httpStatus());
        assertEquals("rate_limit_exceeded", r.errorCode());
        assertEquals("Rate limit reached", r.errorMessage());
    }

    @Test
    void neverExecutedLine() {
        assertEquals(new ResultLine("q-0003", Kind.NOT_EXECUTED, 0, "batch_expired",
                "The batch expired before this request could be executed.", null, null), decode(EXPIRED));
    }

    @Test
    void nullContentIsJsonNull() {
        String line = "{\"id\":\"batch_req_n\",\"custom_id\":\"q-7\",\"response\":{\"status_code\":200,\"request_id\":\"req_7\",\"body\":{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"no\"},\"finish_reason\":\"stop\"}],\"usage\":null}},\"error\":null}";
        ResultLine r = decode(line);
        assertEquals(Kind.SUCCEEDED, r.kind());
        assertEquals("null", r.contentJson());
        assertNull(r.usageJson());
    }

    @Test
    void contentKeepsEscapesAndMultiByteTextExactly() throws IOException {
        String content = "\"Gr\\u00fc\\u00dfe \\\"quoted\\\"\\nzweite Zeile – 日本語 😀\"";
        String line = "{\"custom_id\":\"u-1\",\"error\":null,\"response\":{\"body\":{\"choices\":[{\"message\":{\"content\":"
                + content + ",\"role\":\"assistant\"},\"index\":0},{\"message\":{\"content\":\"second\"}}]},\"status_code\":200}}";
        ResultLine r = decode(line);
        assertEquals(content, r.contentJson());
        assertEquals("Grüße \"quoted\"\nzweite Zeile – 日本語 😀", parseString(r.contentJson()));
    }

    @Test
    void keysInAnyOrder() {
        // status_code after body, error before response, custom_id last
        String line = "{\"error\":null,\"response\":{\"body\":{\"usage\":{\"total_tokens\":3},\"choices\":[{\"message\":{\"content\":\"hi\"}}]},\"request_id\":\"r\",\"status_code\":201},\"id\":\"x\",\"custom_id\":\"late\"}";
        assertEquals(new ResultLine("late", Kind.SUCCEEDED, 201, null, null, "\"hi\"", "{\"total_tokens\":3}"), decode(line));
    }

    @Test
    void legacyCompletionText() {
        String line = "{\"custom_id\":\"c-1\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[{\"text\":\" done\",\"index\":0}]}},\"error\":null}";
        assertEquals("\" done\"", decode(line).contentJson());
    }

    @Test
    void embeddingLineGivesTheVectorVerbatim() {
        String vector = vector(new Random(1), 1536);
        String line = "{\"id\":\"batch_req_e1\",\"custom_id\":\"e-0001\",\"response\":{\"status_code\":200,\"request_id\":\"req_e1\",\"body\":{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                + vector + "}],\"model\":\"text-embed-x\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}},\"error\":null}";
        ResultLine r = decode(line);
        assertEquals(Kind.SUCCEEDED, r.kind());
        assertEquals(vector, r.contentJson());
        assertEquals("{\"prompt_tokens\":5,\"total_tokens\":5}", r.usageJson());
    }

    @Test
    void severalEmbeddingsComeBackInIndexOrder() {
        Random random = new Random(2);
        String v0 = vector(random, 8);
        String v1 = vector(random, 8);
        String v2 = vector(random, 8);
        // out of order, and "index" after "embedding" in one item
        String line = "{\"custom_id\":\"e-2\",\"response\":{\"status_code\":200,\"body\":{\"data\":["
                + "{\"object\":\"embedding\",\"index\":2,\"embedding\":" + v2 + "},"
                + "{\"object\":\"embedding\",\"embedding\":" + v0 + ",\"index\":0},"
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":" + v1 + "}]}},\"error\":null}";
        assertEquals("[" + v0 + "," + v1 + "," + v2 + "]", decode(line).contentJson());
    }

    @Test
    void base64EmbeddingIsAJsonString() {
        String line = "{\"custom_id\":\"e-3\",\"response\":{\"status_code\":200,\"body\":{\"data\":[{\"index\":0,\"embedding\":\"AAAgQQ==\"}]}},\"error\":null}";
        assertEquals("\"AAAgQQ==\"", decode(line).contentJson());
    }

    @Test
    void decodesALineInsideALargerBuffer() {
        String vector = vector(new Random(3), 64);
        String line = "{\"custom_id\":\"mid\",\"response\":{\"status_code\":200,\"body\":{\"data\":[{\"index\":0,\"embedding\":" + vector
                + "}],\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}},\"error\":null}";
        String buffer = CHAT_OK + "\n" + line + "\n" + EXPIRED + "\n";
        byte[] bytes = buffer.getBytes(StandardCharsets.UTF_8);
        int start = CHAT_OK.getBytes(StandardCharsets.UTF_8).length + 1;
        int length = line.getBytes(StandardCharsets.UTF_8).length;
        ResultLine r = decoder.decode(bytes, start, length);
        assertEquals("mid", r.customId());
        assertEquals(vector, r.contentJson());
        assertEquals("{\"prompt_tokens\":1,\"total_tokens\":1}", r.usageJson());
    }

    @Test
    void oneDecoderReadsManyLinesWithoutCarryingState() {
        assertEquals(Kind.SUCCEEDED, decode(CHAT_OK).kind());
        ResultLine error = decode(CHAT_400);
        assertNull(error.contentJson());
        assertNull(error.usageJson());
        ResultLine expired = decode(EXPIRED);
        assertEquals(Kind.NOT_EXECUTED, expired.kind());
        assertEquals(0, expired.httpStatus());
        assertEquals("\"11\"", decode(CHAT_OK).contentJson());
    }

    @Test
    void leadingWhitespaceIsTolerated() {
        assertEquals("\"11\"", decode("  \t" + CHAT_OK).contentJson());
    }

    @Test
    void rejectsLinesThatAreNotResults() {
        assertThrows(IllegalArgumentException.class, () -> decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> decode("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"custom_id\":\"a\",\"response\":null,\"error\":null}"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"response\":null,\"error\":{\"code\":\"x\",\"message\":\"y\"}}"));
        assertThrows(IllegalArgumentException.class, () -> decode(CHAT_OK.substring(0, CHAT_OK.length() - 5)));
        assertThrows(IllegalArgumentException.class, () -> decode(CHAT_OK + "{}"));
    }

    private static String vector(Random random, int dimensions) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < dimensions; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(random.nextGaussian() / 30);
        }
        // an exponent form as the API sometimes sends
        return out.append(",-1.2345e-05]").toString();
    }

    private static String parseString(String json) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.VALUE_STRING, parser.nextToken());
            return parser.getText();
        }
    }
}
