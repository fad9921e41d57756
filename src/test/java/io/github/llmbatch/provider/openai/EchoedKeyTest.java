package io.github.llmbatch.provider.openai;

import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Texts a provider sends back in 2xx answers (a failed batch's errors, a failed request's message)
 * are printed and stored; the key they may quote is scrubbed from them.
 */
class EchoedKeyTest {

    private static final String KEY = "sk-proj-Echo5Wq81nXw0pLr";

    @Test
    void aFailedBatchsErrorsAreScrubbedWhereverTheBatchIsRead() throws Exception {
        String failed = "{\"id\":\"b1\",\"object\":\"batch\",\"status\":\"failed\",\"metadata\":{\"llm_batch_key\":\"k1\"},"
                + "\"errors\":{\"object\":\"list\",\"data\":[{\"code\":\"invalid_request\",\"message\":\"Line 3: the"
                + " header 'Authorization: Bearer " + KEY + "' is not allowed in a body.\",\"param\":null,\"line\":3}]},"
                + "\"request_counts\":{\"total\":0,\"completed\":0,\"failed\":0}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, r.path().equals("/v1/batches")
                ? "{\"object\":\"list\",\"data\":[" + failed + "],\"has_more\":false}" : failed))) {
            OpenAiProvider provider = new OpenAiProvider(server.uri("/v1").toString(), KEY, AuthStyle.BEARER);
            BatchError expected = new BatchError("invalid_request",
                    "Line 3: the header 'Authorization: Bearer [redacted]' is not allowed in a body.", 3);

            RemoteBatch read = provider.getBatch("b1");
            assertEquals(List.of(expected), read.errors());
            assertEquals(List.of(expected), provider.cancelBatch("b1").errors());
            assertEquals(List.of(expected), provider.findBatch("k1").orElseThrow().errors());
        }
    }

    @Test
    void aFailedRequestsMessageIsScrubbed() {
        String line = "{\"id\":\"batch_req_1\",\"custom_id\":\"r-1\",\"response\":{\"status_code\":401,\"request_id\":\"q\","
                + "\"body\":{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}},\"error\":null}";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        OpenAiProvider provider = new OpenAiProvider("http://127.0.0.1:9/v1", KEY, AuthStyle.BEARER);

        ResultLine result = provider.resultDecoder().decode(bytes, 0, bytes.length);

        assertEquals("Incorrect API key provided: [redacted].", result.errorMessage());
        assertEquals("invalid_api_key", result.errorCode());
        String notExecuted = "{\"id\":\"batch_req_2\",\"custom_id\":\"r-2\",\"response\":null,\"error\":{\"code\":"
                + "\"request_timeout\",\"message\":\"timed out calling with " + KEY + "\"}}";
        byte[] other = notExecuted.getBytes(StandardCharsets.UTF_8);
        assertFalse(provider.resultDecoder().decode(other, 0, other.length).errorMessage().contains(KEY));
    }

    @Test
    void aMalformedAnswerQuotingTheKeyIsScrubbed() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200, "{\"id\": " + KEY + "}"))) {
            OpenAiProvider provider = new OpenAiProvider(server.uri("/v1").toString(), KEY, AuthStyle.BEARER);
            MalformedAnswerException e = assertThrows(MalformedAnswerException.class, () -> provider.getBatch("b1"));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(KEY), t.toString());
            }
        }
    }
}
