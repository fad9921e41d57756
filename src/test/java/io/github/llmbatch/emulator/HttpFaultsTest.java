package io.github.llmbatch.emulator;

import static io.github.llmbatch.emulator.FilesApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Injected HTTP answers per route, with and without {@code Retry-After}. */
class HttpFaultsTest {

    private EmulatorServer emulator;
    private TestClient client;

    private void start(String faults) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(new EmulatorTimings(60_000, 0, 0, 0))
                .withFaults(FaultPlan.parse(faults)));
        client = new TestClient(emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void eachRouteAnswersItsInjectedStatusesThenServesNormally() throws IOException {
        start("upload=500x1;files=502;file=503;content=500;delete=502;create=429x1;retrieve=502x2;list=503x1;"
                + "cancel=500");
        expectFault(500, () -> client.upload("a.jsonl", TestClient.chatLines(1)));
        assertEquals(0, emulator.stats().filesUploaded(), "a refused upload stores nothing");
        String file = client.uploadJsonl(TestClient.chatLines(1));
        assertEquals(1, emulator.stats().filesUploaded());

        expectFault(502, () -> client.get("/files"));
        assertEquals(200, client.get("/files").status());
        expectFault(503, () -> client.get("/files/" + file));
        assertEquals(200, client.get("/files/" + file).status());
        expectFault(500, () -> client.get("/files/" + file + "/content"));
        assertEquals(200, client.get("/files/" + file + "/content").status());

        expectFault(429, () -> client.createBatch(file, "/v1/chat/completions", null));
        assertEquals(0, emulator.stats().batchesCreated(), "a refused create creates nothing");
        String batch = client.createBatch(file, "/v1/chat/completions", null).json().get("id").asText();
        expectFault(502, () -> client.get("/batches/" + batch));
        expectFault(502, () -> client.get("/batches/" + batch));
        assertEquals(200, client.get("/batches/" + batch).status());
        expectFault(503, () -> client.get("/batches"));
        assertEquals(200, client.get("/batches").status());
        expectFault(500, () -> client.postJson("/batches/" + batch + "/cancel", ""));
        assertEquals("validating", client.batch(batch).get("status").asText(), "a refused cancel cancels nothing");
        assertEquals(200, client.postJson("/batches/" + batch + "/cancel", "").status());

        expectFault(502, () -> client.delete("/files/" + file));
        assertEquals(200, client.get("/files/" + file).status(), "a refused delete deletes nothing");
        assertEquals(200, client.delete("/files/" + file).status());
    }

    @Test
    void retryAfterIsSentOn429And503Only() throws IOException {
        start("create=429;list=503;retrieve=500;retryAfter=1");
        String file = client.uploadJsonl(TestClient.chatLines(1));
        TestClient.Answer limited = client.createBatch(file, "/v1/chat/completions", null);
        assertError(limited, 429, null);
        assertEquals("1", limited.header("retry-after"));
        assertEquals("rate_limit_exceeded", limited.json().get("error").get("code").asText());
        TestClient.Answer unavailable = client.get("/batches");
        assertError(unavailable, 503, null);
        assertEquals("1", unavailable.header("retry-after"));
        TestClient.Answer broken = client.get("/batches/batch_x");
        assertError(broken, 500, null);
        assertNull(broken.header("retry-after"));
    }

    @Test
    void noRetryAfterUnlessConfigured() throws IOException {
        start("list=429");
        TestClient.Answer limited = client.get("/batches");
        assertError(limited, 429, null);
        assertNull(limited.header("retry-after"));
    }

    @Test
    void lostResponsesHappenAfterTheCallTookEffect() throws IOException {
        start("uploadLost=500;createLost=502");
        expectFault(500, () -> client.upload("lost.jsonl", TestClient.chatLines(1)));
        assertEquals(1, emulator.stats().filesUploaded());
        String file = client.get("/files").json().get("data").get(0).get("id").asText();
        assertEquals("lost.jsonl", client.get("/files/" + file).json().get("filename").asText());

        expectFault(502, () -> client.createBatch(file, "/v1/chat/completions", "{\"key\":\"attempt-1\"}"));
        assertEquals(1, emulator.stats().batchesCreated());
        assertEquals(java.util.List.of("attempt-1"), emulator.stats().batchMetadataValues("key"));
        assertEquals("attempt-1", client.get("/batches").json().get("data").get(0).get("metadata").get("key").asText());
    }

    @Test
    void aLargeUploadRefusedByAFaultStillGetsItsAnswer() throws IOException {
        start("upload=503;retryAfter=2");
        String big = "{}\n".repeat(3_000_000); // 9 MB the server must read past to answer cleanly
        TestClient.Answer answer = client.upload("big.jsonl", big);
        assertError(answer, 503, null);
        assertEquals("2", answer.header("retry-after"));
    }

    private static void expectFault(int status, Supplier<TestClient.Answer> call) {
        TestClient.Answer answer = call.get();
        assertError(answer, status, null);
        String message = answer.json().get("error").get("message").asText();
        assertEquals(true, message.startsWith("[emulated]"), message);
    }
}
