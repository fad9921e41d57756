package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ResultLine.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GeminiResultDecoderTest {

    // BATCH-PROTOCOLS.md §C.6, composed examples
    private static final String CHAT_OK = "{\"key\":\"row-1\",\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"fast\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":1,\"totalTokenCount\":8},\"modelVersion\":\"gemini-x-flash\",\"responseId\":\"r-abc\"}}";
    private static final String INVALID = "{\"key\":\"row-2\",\"error\":{\"code\":400,\"message\":\"Request contains an invalid argument.\",\"status\":\"INVALID_ARGUMENT\"}}";

    private final GeminiResultDecoder decoder = new GeminiResultDecoder();

    private ResultLine decode(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 0, bytes.length);
    }

    @Test
    void succeededChatLine() {
        assertEquals(new ResultLine("row-1", Kind.SUCCEEDED, 200, null, null, "\"fast\"",
                "{\"promptTokenCount\":7,\"candidatesTokenCount\":1,\"totalTokenCount\":8}"), decode(CHAT_OK));
    }

    @Test
    void errorLineCarriesTheStatusName() {
        assertEquals(new ResultLine("row-2", Kind.HTTP_ERROR, 400, "INVALID_ARGUMENT",
                "Request contains an invalid argument.", null, null), decode(INVALID));
    }

    @Test
    void statusNamesMapToGooglesHttpStatuses() {
        String[][] cases = {
                {"RESOURCE_EXHAUSTED", "429"}, {"UNAVAILABLE", "503"}, {"INTERNAL", "500"},
                {"DEADLINE_EXCEEDED", "504"}, {"INVALID_ARGUMENT", "400"}, {"FAILED_PRECONDITION", "400"},
                {"PERMISSION_DENIED", "403"}, {"NOT_FOUND", "404"}, {"UNAUTHENTICATED", "401"},
                {"CANCELLED", "499"}, {"UNKNOWN", "500"}};
        for (String[] c : cases) {
            // the code sent is ignored when the name is known: the name is what Google documents
            ResultLine r = decode("{\"key\":\"k\",\"error\":{\"code\":13,\"message\":\"m\",\"status\":\"" + c[0] + "\"}}");
            assertEquals(Integer.parseInt(c[1]), r.httpStatus(), c[0]);
            assertEquals(c[0], r.errorCode());
        }
    }

    @Test
    void aStatusWithOnlyARpcCodeNumber() {
        ResultLine r = decode("{\"key\":\"k\",\"error\":{\"code\":8,\"message\":\"Quota exceeded.\"}}");
        assertEquals(new ResultLine("k", Kind.HTTP_ERROR, 429, "RESOURCE_EXHAUSTED", "Quota exceeded.", null, null), r);
        assertEquals(504, decode("{\"key\":\"k\",\"error\":{\"code\":4}}").httpStatus());
        assertEquals("DEADLINE_EXCEEDED", decode("{\"key\":\"k\",\"error\":{\"code\":4}}").errorMessage(),
                "without a message the name stands in");
    }

    @Test
    void aStatusWithOnlyAnHttpCode() {
        ResultLine r = decode("{\"key\":\"k\",\"error\":{\"code\":503,\"message\":\"overloaded\"}}");
        assertEquals(503, r.httpStatus());
        assertEquals("UNAVAILABLE", r.errorCode());
        ResultLine odd = decode("{\"key\":\"k\",\"error\":{\"code\":418,\"message\":\"teapot\",\"status\":\"TEAPOT\"}}");
        assertEquals(418, odd.httpStatus(), "an unknown name keeps the HTTP code sent");
        assertEquals("TEAPOT", odd.errorCode());
        ResultLine bare = decode("{\"key\":\"k\",\"error\":{}}");
        assertEquals(500, bare.httpStatus());
        assertEquals("UNKNOWN", bare.errorCode());
    }

    @Test
    void severalTextPartsAreJoinedAndThoughtsLeftOut() throws IOException {
        String line = "{\"key\":\"m\",\"response\":{\"candidates\":[{\"content\":{\"parts\":["
                + "{\"thought\":true,\"text\":\"let me think\"},"
                + "{\"text\":\"Gr\\u00fc\\u00dfe \\\"a\\\"\\n\"},"
                + "{\"functionCall\":{\"name\":\"f\"}},"
                + "{\"text\":\"– 日本語 😀\",\"thought\":false}],\"role\":\"model\"}},"
                + "{\"content\":{\"parts\":[{\"text\":\"second candidate\"}]}}]}}";
        ResultLine r = decode(line);
        assertEquals("Grüße \"a\"\n– 日本語 😀", parseString(r.contentJson()));
        assertEquals(Kind.SUCCEEDED, r.kind());
    }

    @Test
    void oneTextPartIsPassedOnExactlyAsWritten() throws IOException {
        String content = "\"Gr\\u00fc\\u00dfe \\\"quoted\\\"\\nzweite Zeile – 日本語 😀\"";
        String line = "{\"response\":{\"usageMetadata\":{\"totalTokenCount\":3},\"candidates\":[{\"index\":0,"
                + "\"content\":{\"parts\":[{\"text\":" + content + "}]}}]},\"key\":\"late\"}";
        ResultLine r = decode(line);
        assertEquals(new ResultLine("late", Kind.SUCCEEDED, 200, null, null, content, "{\"totalTokenCount\":3}"), r);
    }

    @Test
    void aResponseWithoutTextHasNullContent() {
        String blocked = "{\"key\":\"b\",\"response\":{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                + "\"usageMetadata\":{\"promptTokenCount\":4,\"totalTokenCount\":4}}}";
        ResultLine r = decode(blocked);
        assertEquals(Kind.SUCCEEDED, r.kind());
        assertEquals("null", r.contentJson());
        assertEquals("{\"promptTokenCount\":4,\"totalTokenCount\":4}", r.usageJson());
    }

    @Test
    void embeddingLineGivesTheVectorVerbatim() {
        String vector = "[0.0123,-0.5,1.25e-05,3]";
        String line = "{\"key\":\"e-1\",\"response\":{\"embedding\":{\"values\":" + vector + "}}}";
        assertEquals(new ResultLine("e-1", Kind.SUCCEEDED, 200, null, null, vector, null), decode(line));
    }

    @Test
    void decodesALineInsideALargerBuffer() {
        String line = "{\"key\":\"mid\",\"response\":{\"embedding\":{\"values\":[1.5,2.5]}}}";
        String buffer = CHAT_OK + "\n  " + line + "\n" + INVALID + "\n";
        byte[] bytes = buffer.getBytes(StandardCharsets.UTF_8);
        int start = CHAT_OK.getBytes(StandardCharsets.UTF_8).length + 1;
        int length = line.getBytes(StandardCharsets.UTF_8).length + 2;
        ResultLine r = decoder.decode(bytes, start, length);
        assertEquals("mid", r.customId());
        assertEquals("[1.5,2.5]", r.contentJson());
        assertEquals("mid", decoder.customIdOf(bytes, start, length));
    }

    @Test
    void oneDecoderReadsManyLinesWithoutCarryingState() {
        assertEquals(Kind.SUCCEEDED, decode(CHAT_OK).kind());
        ResultLine error = decode(INVALID);
        assertEquals(null, error.contentJson());
        assertEquals(null, error.usageJson());
        assertEquals("null", decode("{\"key\":\"x\",\"response\":{}}").contentJson());
        assertEquals("\"fast\"", decode(CHAT_OK).contentJson());
    }

    @Test
    void theKeyIsScrubbedFromErrorMessages() {
        GeminiResultDecoder scrubbing = new GeminiResultDecoder(List.of("AIzaSyTestKey123"));
        byte[] line = "{\"key\":\"k\",\"error\":{\"code\":400,\"message\":\"API key AIzaSyTestKey123 not valid\",\"status\":\"INVALID_ARGUMENT\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("API key [redacted] not valid", scrubbing.decode(line, 0, line.length).errorMessage());
    }

    @Test
    void customIdOfReadsOnlyTheKey() {
        byte[] line = CHAT_OK.getBytes(StandardCharsets.UTF_8);
        assertEquals("row-1", decoder.customIdOf(line, 0, line.length));
        byte[] late = "{\"response\":{\"key\":\"inner\"},\"key\":\"outer\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("outer", decoder.customIdOf(late, 0, late.length));
        byte[] none = "{\"custom_id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> decoder.customIdOf(none, 0, none.length));
    }

    @Test
    void rejectsLinesThatAreNotResults() {
        assertThrows(IllegalArgumentException.class, () -> decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> decode("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"key\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> decode("{\"response\":{}}"));
        assertThrows(IllegalArgumentException.class, () -> decode(CHAT_OK.substring(0, CHAT_OK.length() - 5)));
        assertThrows(IllegalArgumentException.class, () -> decode(CHAT_OK + "{}"));
    }

    @Test
    void aThirtyMillionCharacterAnswerIsDecoded() {
        String text = "z".repeat(30_000_000);
        ResultLine r = decode("{\"key\":\"big\",\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text
                + "\"}]}}]}}");
        assertEquals("\"" + text + "\"", r.contentJson());
    }

    private static String parseString(String json) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.VALUE_STRING, parser.nextToken());
            return parser.getText();
        }
    }
}
