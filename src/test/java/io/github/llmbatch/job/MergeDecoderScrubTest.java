package io.github.llmbatch.job;

import io.github.llmbatch.provider.ResultLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The merge writes failed requests' messages into the output: the key a provider quoted is scrubbed there too. */
class MergeDecoderScrubTest {

    private static final String VARIABLE = "LLMBATCH_TEST_MERGE_SCRUB_KEY";
    private static final String KEY = "sk-merge-Qw3rTy9u1oP";

    @AfterEach
    void clear() {
        System.clearProperty(VARIABLE);
    }

    @Test
    void theMergesDecoderScrubsTheKeyFromMessages() {
        System.setProperty(VARIABLE, KEY);
        Properties p = new Properties();
        p.setProperty("input", "in.jsonl");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "{{q}}");
        p.setProperty("baseUrl", "https://api.example.com/v1");
        p.setProperty("apiKeyEnv", VARIABLE);
        byte[] line = ("{\"id\":\"batch_req_1\",\"custom_id\":\"r-1\",\"response\":{\"status_code\":401,\"request_id\":\"q\","
                + "\"body\":{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}},\"error\":null}")
                .getBytes(StandardCharsets.UTF_8);

        ResultLine result = Providers.resultDecoder(JobSettings.from(p)).decode(line, 0, line.length);

        assertEquals("Incorrect API key provided: [redacted].", result.errorMessage());
    }
}
