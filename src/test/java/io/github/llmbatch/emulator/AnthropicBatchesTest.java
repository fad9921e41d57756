package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbatch.cost.Tokenizer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Message Batches routes on the wire (BATCH-PROTOCOLS.md §B): headers, refusals, counts, faults. */
class AnthropicBatchesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private EmulatorServer emulator;

    private void start(String faults, EmulatorTimings timings) throws IOException {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withTimings(timings)
                .withFaults(FaultPlan.parse(faults)));
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    record Answer(int status, JsonNode json, String text, HttpResponse<byte[]> response) {
    }

    private Answer send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.anthropicBaseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            JsonNode json = null;
            if (text.startsWith("{") && !text.contains("\n{")) {
                json = TestClient.JSON.readTree(text);
            }
            return new Answer(response.statusCode(), json, text, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Answer call(String method, String path, String body) {
        return send(method, path, body, Map.of("x-api-key", "k", "anthropic-version", "2023-06-01",
                "content-type", "application/json"));
    }

    static String body(String... customIds) {
        List<String> requests = new ArrayList<>();
        for (String id : customIds) {
            requests.add("{\"custom_id\":\"" + id + "\",\"params\":{\"model\":\"claude-emu\",\"max_tokens\":64,"
                    + "\"system\":[{\"type\":\"text\",\"text\":\"Be terse.\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi " + id
                    + "\"}]}]}}");
        }
        return "{\"requests\":[" + String.join(",", requests) + "]}";
    }

    private JsonNode awaitEnded(String id) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            JsonNode batch = call("GET", "/v1/messages/batches/" + id, null).json();
            if (batch.get("processing_status").asText().equals("ended")) {
                return batch;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id + " never ended");
    }

    /** custom_id → result, read from the results_url as given. */
    private Map<String, JsonNode> results(JsonNode batch) throws IOException {
        String url = batch.get("results_url").asText();
        Answer answer = call("GET", url.substring(emulator.anthropicBaseUrl().toString().length()), null);
        assertEquals(200, answer.status());
        Map<String, JsonNode> byId = new TreeMap<>();
        for (String line : answer.text().split("\n")) {
            JsonNode node = TestClient.JSON.readTree(line);
            byId.put(node.get("custom_id").asText(), node.get("result"));
        }
        return byId;
    }

    @Test
    void keyAndVersionAreRequiredWithAnthropicsErrorShape() throws IOException {
        start("create=500x1", EmulatorTimings.defaults());
        Answer noKey = send("GET", "/v1/messages/batches", null, Map.of("anthropic-version", "2023-06-01"));
        assertEquals(401, noKey.status());
        assertEquals("error", noKey.json().get("type").asText());
        assertEquals("authentication_error", noKey.json().get("error").get("type").asText());
        assertTrue(noKey.json().get("request_id").asText().startsWith("req_"));
        assertEquals(noKey.json().get("request_id").asText(), noKey.response().headers().firstValue("request-id")
                .orElseThrow());
        Answer noVersion = send("GET", "/v1/messages/batches", null, Map.of("x-api-key", "k"));
        assertEquals(400, noVersion.status());
        assertEquals("invalid_request_error", noVersion.json().get("error").get("type").asText());
        Answer bearer = send("GET", "/v1/messages/batches", null, Map.of("Authorization", "Bearer k",
                "anthropic-version", "2023-06-01"));
        assertEquals(200, bearer.status());
        // refused calls do not use up injected faults; ?beta=true (the SDK's beta calls) is ignored
        Answer injected = call("POST", "/v1/messages/batches?beta=true", body("a"));
        assertEquals(500, injected.status());
        assertEquals("api_error", injected.json().get("error").get("type").asText());
    }

    @Test
    void theCreateCallRefusesBadBatchesWith400() throws IOException {
        start("maxRequests=3", EmulatorTimings.defaults());
        assertRefused(body("ok-1", "bad.id"), "custom_id");
        assertRefused(body("x".repeat(65)), "custom_id");
        assertRefused(body("twice", "twice"), "twice");
        assertRefused(body("a", "b", "c", "d"), "at most 3");
        assertRefused("{\"requests\":[]}", "at least 1");
        assertRefused("{\"requests\":[{\"custom_id\":\"a\"}]}", "params");
        assertRefused("{\"requests\":[{\"custom_id\":\"a\",\"params\":{},\"extra\":1}]}", "extra");
        assertRefused("not json", "JSON");
        assertEquals(0, emulator.stats().batchesCreated());
        assertEquals(200, call("POST", "/v1/messages/batches", body("a-1", "B_2", "c-3")).status());
    }

    private void assertRefused(String body, String mentioned) {
        Answer answer = call("POST", "/v1/messages/batches", body);
        assertEquals(400, answer.status(), answer.text());
        assertEquals("invalid_request_error", answer.json().get("error").get("type").asText());
        assertTrue(answer.json().get("error").get("message").asText().contains(mentioned), answer.text());
    }

    @Test
    void aBodyOverTheSizeLimitIs413() throws IOException {
        start("maxInputBytes=2000", EmulatorTimings.defaults());
        Answer answer = call("POST", "/v1/messages/batches", body("a".repeat(60), "b".repeat(60), "c", "d", "e",
                "f", "g", "h", "i", "j", "k", "l"));
        assertEquals(413, answer.status());
        assertEquals("request_too_large", answer.json().get("error").get("type").asText());
    }

    @Test
    void countsStayZeroUntilTheEndAndParameterProblemsAreErroredResults() throws Exception {
        start("shuffle=false", new EmulatorTimings(0, 400, 0, 0));
        String noMaxTokens = "{\"custom_id\":\"no-max\",\"params\":{\"model\":\"m\",\"messages\":[]}}";
        String two = body("a", "b");
        String body = two.substring(0, two.lastIndexOf("]}")) + "," + noMaxTokens + "]}";
        JsonNode created = call("POST", "/v1/messages/batches", body).json();
        assertEquals("message_batch", created.get("type").asText());
        assertEquals("in_progress", created.get("processing_status").asText());
        assertEquals(3, created.get("request_counts").get("processing").asInt());
        assertTrue(created.get("results_url").isNull());
        assertTrue(created.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        String id = created.get("id").asText();
        Answer early = call("GET", "/v1/messages/batches/" + id + "/results", null);
        assertEquals(400, early.status(), "no results before the end");
        Thread.sleep(200);
        JsonNode running = call("GET", "/v1/messages/batches/" + id, null).json();
        if (running.get("processing_status").asText().equals("in_progress")) {
            assertEquals(0, running.get("request_counts").get("succeeded").asInt(), "§B.2: 0 until ended");
            assertEquals(3, running.get("request_counts").get("processing").asInt());
        }
        JsonNode ended = awaitEnded(id);
        assertEquals(2, ended.get("request_counts").get("succeeded").asInt());
        assertEquals(1, ended.get("request_counts").get("errored").asInt());
        assertEquals(0, ended.get("request_counts").get("processing").asInt());
        Map<String, JsonNode> results = results(ended);
        assertEquals("[emulated] a: hi a", results.get("a").get("message").get("content").get(0).get("text").asText());
        Tokenizer o200k = Tokenizer.forModel("claude-emu");
        long input = o200k.count("Be terse.") + 3 + o200k.count("user") + o200k.count("hi a") + 3;
        assertEquals(input, results.get("a").get("message").get("usage").get("input_tokens").asInt(),
                "system and message text as the estimate counts them (o200k_base, OpenAI's chat formula)");
        JsonNode error = results.get("no-max").get("error");
        assertEquals("error", error.get("type").asText());
        assertEquals("invalid_request_error", error.get("error").get("type").asText());
        assertEquals(List.of("a", "b"), emulator.stats().anthropicSucceededCustomIds());
    }

    @Test
    void aLostCreateAnswerLeavesABatchThatTheListFinds() throws Exception {
        start("createLost=503;retryAfter=2", EmulatorTimings.defaults());
        Answer lost = call("POST", "/v1/messages/batches", body("x-1", "x-2"));
        assertEquals(503, lost.status());
        assertEquals("2", lost.response().headers().firstValue("retry-after").orElseThrow());
        assertEquals(1, emulator.stats().batchesCreated());
        assertEquals(List.of(List.of("x-1", "x-2")), emulator.stats().anthropicBatchCustomIds());
        JsonNode list = call("GET", "/v1/messages/batches?limit=10", null).json();
        assertEquals(1, list.get("data").size());
        assertEquals(2, list.get("data").get(0).get("request_counts").get("processing").asInt());
        assertFalse(list.get("has_more").asBoolean());
        assertEquals(list.get("first_id"), list.get("last_id"));
        Map<String, JsonNode> results = results(awaitEnded(list.get("first_id").asText()));
        assertEquals(List.of("x-1", "x-2"), new ArrayList<>(results.keySet()));
    }

    @Test
    void aBatchCancelledBeforeItRanHasEveryRequestCanceled() throws Exception {
        start("", new EmulatorTimings(60_000, 0, 0, 0));
        String id = call("POST", "/v1/messages/batches", body("a", "b", "c")).json().get("id").asText();
        JsonNode canceling = call("POST", "/v1/messages/batches/" + id + "/cancel", null).json();
        assertEquals("canceling", canceling.get("processing_status").asText());
        JsonNode ended = awaitEnded(id);
        assertEquals(3, ended.get("request_counts").get("canceled").asInt());
        assertTrue(results(ended).values().stream().allMatch(r -> r.get("type").asText().equals("canceled")));
        Answer again = call("POST", "/v1/messages/batches/" + id + "/cancel", null);
        assertEquals(400, again.status(), "an ended batch cannot be canceled");
        assertEquals("message_batch_deleted", call("DELETE", "/v1/messages/batches/" + id, null).json().get("type")
                .asText());
        assertEquals("not_found_error", call("GET", "/v1/messages/batches/" + id, null).json().get("error").get("type")
                .asText());
    }

    @Test
    void theStatsEndpointListsAnthropicBatches() throws Exception {
        start("", EmulatorTimings.defaults());
        call("POST", "/v1/messages/batches", body("s-1"));
        JsonNode stats = TestClient.JSON.readTree(send("GET", "/_emulator/stats", null, Map.of()).text());
        assertEquals("s-1", stats.get("anthropicBatchCustomIds").get(0).get(0).asText());
        assertNull(stats.get("batches").get(0).get("metadata").textValue());
    }
}
