package io.github.llmbatch.provider.openai;

import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.RawHttpServer;
import io.github.llmbatch.provider.RawHttpServer.Answer;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.StopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request heads as they arrive on a plain socket: nothing doubled, nothing an HTTP/1.1 server may refuse. */
class RequestHeadersTest {

    private static final String FILE = "{\"id\":\"file-1\",\"object\":\"file\",\"bytes\":3,\"created_at\":1,"
            + "\"filename\":\"llm-batch-k.jsonl\",\"purpose\":\"batch\",\"status\":\"processed\"}";
    private static final String BATCH = "{\"id\":\"b1\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\","
            + "\"input_file_id\":\"file-1\",\"completion_window\":\"24h\",\"status\":\"in_progress\",\"created_at\":1,"
            + "\"request_counts\":{\"total\":1,\"completed\":0,\"failed\":0}}";

    @Test
    void everyCallSendsOneAcceptOurUserAgentAndNoHttp2Upgrade(@TempDir Path dir) throws Exception {
        try (RawHttpServer server = new RawHttpServer((head, body) -> {
            if (head.path().endsWith("/content")) {
                return Answer.json(200, "{\"custom_id\":\"a\"}\n");
            }
            return Answer.json(200, head.path().startsWith("/v1/files") ? FILE : BATCH);
        })) {
            OpenAiProvider provider = new OpenAiProvider(server.uri("/v1").toString(), "sk-h", AuthStyle.BEARER,
                    new HttpTransport(RetryPolicy.DEFAULT, HttpTimeouts.DEFAULT, StopRequest.NEVER));
            Path shard = dir.resolve("s.jsonl");
            Files.writeString(shard, "{}\n");
            provider.upload(shard, "llm-batch-k.jsonl");
            provider.getBatch("b1");
            provider.download("file-out", dir.resolve("out.jsonl"));

            List<RawHttpServer.Head> heads = server.heads();
            assertEquals(3, heads.size());
            for (RawHttpServer.Head head : heads) {
                assertTrue(head.requestLine().endsWith(" HTTP/1.1"), head.requestLine());
                assertEquals(1, head.values("Accept").size(), head.toString());
                assertEquals(List.of(userAgent()), head.values("User-Agent"));
                for (String name : List.of("Upgrade", "HTTP2-Settings")) {
                    assertEquals(List.of(), head.values(name), head.toString());
                }
                assertTrue(head.values("Connection").stream()
                        .noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("upgrade")), head.toString());
            }
            assertEquals(List.of("application/json"), heads.get(0).values("Accept"));
            assertEquals(List.of("application/json"), heads.get(1).values("Accept"));
            assertEquals(List.of("application/binary"), heads.get(2).values("Accept"));
        }
    }

    /** {@code llm-batch/} and the project version the build filled in. */
    private static String userAgent() {
        String agent = io.github.llmbatch.provider.UserAgent.VALUE;
        assertTrue(agent.matches("llm-batch/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), agent);
        return agent;
    }
}
