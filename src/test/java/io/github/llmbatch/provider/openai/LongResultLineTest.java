package io.github.llmbatch.provider.openai;

import io.github.llmbatch.provider.ResultLine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Result lines with strings beyond Jackson's default 20-million-character cap decode whole. */
class LongResultLineTest {

    private static final int LONG = 30_000_000;

    @Test
    void aThirtyMillionCharacterAnswerIsDecoded() {
        String text = "z".repeat(LONG);
        byte[] line = ("{\"id\":\"batch_req_1\",\"custom_id\":\"big\",\"response\":{\"status_code\":200,\"request_id\":\"q\","
                + "\"body\":{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"" + text + "\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":1,"
                + "\"completion_tokens\":7500000,\"total_tokens\":7500001}}},\"error\":null}").getBytes(StandardCharsets.UTF_8);

        ResultLine result = new OpenAiResultDecoder().decode(line, 0, line.length);

        assertEquals(ResultLine.Kind.SUCCEEDED, result.kind());
        assertEquals("\"" + text + "\"", result.contentJson());
    }

    @Test
    void aThirtyMillionCharacterErrorMessageIsDecoded() {
        String text = "e".repeat(LONG);
        byte[] line = ("{\"id\":\"batch_req_2\",\"custom_id\":\"big\",\"response\":{\"status_code\":400,\"request_id\":\"q\","
                + "\"body\":{\"error\":{\"message\":\"" + text + "\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":null}}},\"error\":null}").getBytes(StandardCharsets.UTF_8);

        ResultLine result = new OpenAiResultDecoder().decode(line, 0, line.length);

        assertEquals(ResultLine.Kind.HTTP_ERROR, result.kind());
        assertEquals(LONG, result.errorMessage().length());
    }
}
