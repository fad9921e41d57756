package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.CreateBatch;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.ProviderException;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Received;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiProviderTest {

    private static final String KEY = "sk-test-Zq81nXw0pLr5";

    private static HttpTransport quickTransport(int retries) {
        return new HttpTransport(HttpTransport.defaultClient(),
                new RetryPolicy(retries, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(5)),
                duration -> { }, Clock.systemUTC(), () -> 0.5);
    }

    private static OpenAiProvider provider(ScriptedServer server) {
        return new OpenAiProvider(server.uri("/v1").toString(), KEY, AuthStyle.BEARER, quickTransport(2));
    }

    private static String batchJson(String id, String status, String key) {
        return "{\"id\":\"" + id + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\",\"errors\":null,"
                + "\"input_file_id\":\"file-in\",\"completion_window\":\"24h\",\"status\":\"" + status + "\","
                + "\"output_file_id\":null,\"error_file_id\":null,\"created_at\":1767225600,"
                + "\"request_counts\":{\"total\":3,\"completed\":0,\"failed\":0},"
                + "\"metadata\":" + (key == null ? "null" : "{\"job\":\"x\",\"llm_batch_key\":\"" + key + "\"}") + "}";
    }

    private static String fileJson(String id, String name, long createdAt) {
        return "{\"id\":\"" + id + "\",\"object\":\"file\",\"bytes\":120,\"created_at\":" + createdAt
                + ",\"expires_at\":null,\"filename\":\"" + name + "\",\"purpose\":\"batch\",\"status\":\"processed\",\"status_details\":null}";
    }

    private static String page(List<String> items, boolean hasMore, String lastId) {
        return "{\"object\":\"list\",\"data\":[" + String.join(",", items) + "],\"first_id\":null,\"last_id\":"
                + (lastId == null ? "null" : "\"" + lastId + "\"") + ",\"has_more\":" + hasMore + "}";
    }

    @Test
    void uploadSendsAStreamedMultipartBody(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shard-0001.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"custom_id\":\"r-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n");
        }
        byte[] content = lines.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, fileJson("file-7Qk2", "job-1-shard-0001.jsonl", 1767225600)))) {
            RemoteFile uploaded = provider(server).upload(file, "job-1-shard-0001.jsonl");

            assertEquals(new RemoteFile("file-7Qk2", "job-1-shard-0001.jsonl", 120, 1767225600), uploaded);
            Received request = server.received().get(0);
            assertEquals("POST", request.method());
            assertEquals("/v1/files", request.path());
            assertEquals("Bearer " + KEY, request.header("Authorization"));
            String contentType = request.header("Content-Type");
            assertTrue(contentType.startsWith("multipart/form-data; boundary="), contentType);
            Map<String, Part> parts = parseMultipart(request.body(), contentType.substring(contentType.indexOf('=') + 1));
            assertEquals(List.of("purpose", "file"), new ArrayList<>(parts.keySet()));
            assertEquals("batch", parts.get("purpose").text());
            assertTrue(parts.get("file").headers().contains("filename=\"job-1-shard-0001.jsonl\""), parts.get("file").headers());
            assertArrayEquals(content, parts.get("file").body());
        }
    }

    @Test
    void uploadOfAMissingFileFailsWithoutCallingTheServer(@TempDir Path dir) throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, fileJson("f", "x", 1)))) {
            assertThrows(java.nio.file.NoSuchFileException.class, () -> provider(server).upload(dir.resolve("nope.jsonl"), "nope.jsonl"));
            assertTrue(server.received().isEmpty());
        }
    }

    @Test
    void createBatchSendsTheIdempotencyKeyAsMetadata() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("batch_9fA1", "validating", "job7-s3-a1")))) {
            RemoteBatch batch = provider(server).createBatch(
                    new CreateBatch("/v1/chat/completions", "file-7Qk2", null, "gpt-x-mini", "job7-s3-a1"));

            assertEquals("batch_9fA1", batch.id());
            assertEquals(BatchState.VALIDATING, batch.state());
            assertEquals("job7-s3-a1", batch.idempotencyKey());
            Received request = server.received().get(0);
            assertEquals("POST", request.method());
            assertEquals("/v1/batches", request.path());
            assertTrue(request.header("Content-Type").startsWith("application/json"));
            Map<String, Object> body = flatJson(request.bodyText());
            assertEquals(Map.of("input_file_id", "file-7Qk2", "endpoint", "/v1/chat/completions",
                    "completion_window", "24h", "metadata.llm_batch_key", "job7-s3-a1"), body);
            assertEquals("llm_batch_key", OpenAiProvider.IDEMPOTENCY_METADATA_KEY);
        }
    }

    @Test
    void aRetriedCreateFindsTheBatchTheFailedAttemptMade() throws Exception {
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.method().equals("POST")) {
                // the batch is made, but the answer is lost
                created.add(batchJson("batch_1", "validating", "job7-s3-a1"));
                return Reply.drop();
            }
            return Reply.json(200, page(List.copyOf(created), false, null));
        })) {
            RemoteBatch batch = provider(server).createBatch(
                    new CreateBatch("/v1/chat/completions", "file-7Qk2", null, "gpt-x-mini", "job7-s3-a1"));

            assertEquals("batch_1", batch.id());
            assertEquals(List.of("POST /v1/batches", "GET /v1/batches"),
                    server.received().stream().map(r -> r.method() + " " + r.path()).toList());
        }
    }

    @Test
    void aRetriedCreateThatFindsNothingCreatesOnce() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        try (ScriptedServer server = new ScriptedServer(r -> {
            if (r.method().equals("GET")) {
                return Reply.json(200, page(List.of(batchJson("old", "completed", "other-key")), false, "old"));
            }
            return posts.incrementAndGet() == 1 ? Reply.json(503, "{}") : Reply.json(200, batchJson("batch_2", "validating", "k2"));
        })) {
            RemoteBatch batch = provider(server).createBatch(new CreateBatch("/v1/embeddings", "file-1", null, "m", "k2"));

            assertEquals("batch_2", batch.id());
            assertEquals(List.of("POST /v1/batches", "GET /v1/batches", "POST /v1/batches"),
                    server.received().stream().map(r -> r.method() + " " + r.path()).toList());
        }
    }

    @Test
    void findBatchPagesUntilTheKeyTurnsUp() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> {
            String after = r.queryParam("after");
            if (after == null) {
                return Reply.json(200, page(List.of(batchJson("b5", "completed", "k5"), batchJson("b4", "completed", null)), true, "b4"));
            }
            if (after.equals("b4")) {
                return Reply.json(200, page(List.of(batchJson("b3", "failed", "k3")), true, "b3"));
            }
            if (after.equals("b3")) {
                return Reply.json(200, page(List.of(batchJson("b2", "in_progress", "wanted"), batchJson("b1", "completed", "k1")), true, "b1"));
            }
            return Reply.json(200, page(List.of(), false, null));
        })) {
            Optional<RemoteBatch> found = provider(server).findBatch("wanted");

            assertEquals("b2", found.orElseThrow().id());
            assertEquals(BatchState.IN_PROGRESS, found.get().state());
            List<Received> calls = server.received();
            assertEquals(3, calls.size(), "stops at the page with the match");
            assertEquals(Stream.of(null, "b4", "b3").toList(), calls.stream().map(c -> c.queryParam("after")).toList());
            calls.forEach(c -> assertEquals("100", c.queryParam("limit")));
            calls.forEach(c -> assertEquals("/v1/batches", c.path()));
        }
    }

    @Test
    void findBatchReadsEveryPageBeforeSayingNo() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> {
            String after = r.queryParam("after");
            if (after == null) {
                return Reply.json(200, page(List.of(batchJson("b3", "completed", "k3")), true, "b3"));
            }
            if (after.equals("b3")) {
                // no last_id: the last item's id is the cursor
                return Reply.json(200, page(List.of(batchJson("b2", "completed", "k2")), true, null));
            }
            return Reply.json(200, page(List.of(batchJson("b1", "completed", "k1")), false, "b1"));
        })) {
            assertEquals(Optional.empty(), provider(server).findBatch("absent"));
            assertEquals(Stream.of(null, "b3", "b2").toList(), server.received().stream().map(c -> c.queryParam("after")).toList());
        }
    }

    @Test
    void paginationThatDoesNotAdvanceIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, page(List.of(batchJson("b1", "completed", "k1")), true, "b1")))) {
            IOException e = assertThrows(IOException.class, () -> provider(server).findBatch("absent"));
            assertTrue(e.getMessage().contains("did not advance"), e.getMessage());
            assertEquals(2, server.received().size());
        }
    }

    @Test
    void findUploadedFileReturnsTheNewestWithThatNameAcrossPages() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> {
            String after = r.queryParam("after");
            if (after == null) {
                return Reply.json(200, page(List.of(fileJson("f9", "other.jsonl", 900), fileJson("f8", "s1.jsonl", 800)), true, "f8"));
            }
            if (after.equals("f8")) {
                return Reply.json(200, page(List.of(fileJson("f7", "s1.jsonl", 950)), true, "f7"));
            }
            return Reply.json(200, page(List.of(fileJson("f6", "s1.jsonl", 600)), false, "f6"));
        })) {
            RemoteFile found = provider(server).findUploadedFile("s1.jsonl").orElseThrow();

            assertEquals("f7", found.id());
            List<Received> calls = server.received();
            assertEquals(3, calls.size());
            assertEquals(Stream.of(null, "f8", "f7").toList(), calls.stream().map(c -> c.queryParam("after")).toList());
            calls.forEach(c -> assertEquals("batch", c.queryParam("purpose")));
            calls.forEach(c -> assertEquals("/v1/files", c.path()));
            assertEquals(Optional.empty(), provider(server).findUploadedFile("never.jsonl"));
        }
    }

    @Test
    void readsAFinishedBatch() throws Exception {
        String finished = "{\"id\":\"batch_9fA1\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\",\"model\":\"gpt-x-2026-01-01\",\"errors\":null,\"input_file_id\":\"file-7Qk2\",\"completion_window\":\"24h\",\"status\":\"completed\",\"output_file_id\":\"file-out1\",\"error_file_id\":\"file-err1\",\"created_at\":1767225600,\"in_progress_at\":1767225610,\"expires_at\":1767312000,\"finalizing_at\":1767229000,\"completed_at\":1767229050,\"failed_at\":null,\"expired_at\":null,\"cancelling_at\":null,\"cancelled_at\":null,\"request_counts\":{\"total\":3,\"completed\":2,\"failed\":1},\"usage\":{\"input_tokens\":90,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":40,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":130},\"metadata\":{\"job\":\"nightly-eval\"}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, finished))) {
            RemoteBatch batch = provider(server).getBatch("batch_9fA1");

            assertEquals(new RemoteBatch("batch_9fA1", BatchState.COMPLETED, "completed", 3, 2, 1, "file-out1", "file-err1",
                    List.of(), null), batch);
            assertEquals("GET", server.received().get(0).method());
            assertEquals("/v1/batches/batch_9fA1", server.received().get(0).path());
        }
    }

    @Test
    void readsAFailedBatchWithItsErrors() throws Exception {
        String failed = "{\"id\":\"b1\",\"status\":\"failed\",\"errors\":{\"object\":\"list\",\"data\":[{\"code\":\"invalid_json_line\",\"message\":\"Line 7 could not be parsed as JSON.\",\"param\":null,\"line\":7},{\"code\":\"token_limit_exceeded\",\"message\":\"Enqueued token limit reached\",\"param\":null,\"line\":null}]},\"output_file_id\":null,\"error_file_id\":null,\"request_counts\":{\"total\":0,\"completed\":0,\"failed\":0}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, failed))) {
            RemoteBatch batch = provider(server).getBatch("b1");
            assertEquals(BatchState.FAILED, batch.state());
            assertEquals(List.of(new BatchError("invalid_json_line", "Line 7 could not be parsed as JSON.", 7),
                    new BatchError("token_limit_exceeded", "Enqueued token limit reached", null)), batch.errors());
        }
    }

    @Test
    void toleratesAzureShapesAndSendsApiKeyAndApiVersion() throws Exception {
        String azure = "{\"id\":\"batch_az\",\"object\":\"batch\",\"status\":\"Completed\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"expires_at\":\"2026-01-02T00:00:00+00:00\",\"output_file_id\":\"\",\"request_counts\":{\"total\":null,\"completed\":null,\"failed\":null}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, azure))) {
            OpenAiProvider provider = new OpenAiProvider(server.uri("/openai?api-version=2024-10-21").toString(), KEY,
                    AuthStyle.AZURE_API_KEY, quickTransport(0));
            RemoteBatch batch = provider.getBatch("batch_az");

            assertEquals(new RemoteBatch("batch_az", BatchState.COMPLETED, "Completed", 0, 0, 0, null, null, List.of(), null), batch);
            Received request = server.received().get(0);
            assertEquals("/openai/batches/batch_az", request.path());
            assertEquals("2024-10-21", request.queryParam("api-version"));
            assertEquals(KEY, request.header("api-key"));
            assertNull(request.header("Authorization"));

            provider.findBatch("nothing");
            Received list = server.received().get(1);
            assertEquals("2024-10-21", list.queryParam("api-version"));
            assertEquals("100", list.queryParam("limit"));
        }
    }

    @Test
    void readsFileTimestampsAsSecondsOrIso() throws Exception {
        String files = page(List.of(
                "{\"id\":\"f1\",\"filename\":\"a.jsonl\",\"bytes\":\"42\",\"created_at\":\"2026-01-01T00:00:10Z\"}",
                "{\"id\":\"f2\",\"filename\":\"a.jsonl\",\"bytes\":7,\"created_at\":1767225605}"), false, "f2");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, files))) {
            RemoteFile newest = provider(server).findUploadedFile("a.jsonl").orElseThrow();
            assertEquals(new RemoteFile("f1", "a.jsonl", 42, 1767225610), newest);
        }
    }

    @Test
    void mapsEveryStatusCaseInsensitively() {
        Map<String, BatchState> expected = new LinkedHashMap<>();
        expected.put("validating", BatchState.VALIDATING);
        expected.put("in_progress", BatchState.IN_PROGRESS);
        expected.put("InProgress", BatchState.IN_PROGRESS);
        expected.put("IN_PROGRESS", BatchState.IN_PROGRESS);
        expected.put("Finalizing", BatchState.FINALIZING);
        expected.put("cancelling", BatchState.CANCELLING);
        expected.put("Cancelling", BatchState.CANCELLING);
        expected.put("completed", BatchState.COMPLETED);
        expected.put("Failed", BatchState.FAILED);
        expected.put("EXPIRED", BatchState.EXPIRED);
        expected.put("cancelled", BatchState.CANCELLED);
        expected.put("Cancelled", BatchState.CANCELLED);
        expected.forEach((raw, state) -> assertEquals(Optional.of(state), BatchObjectReader.state(raw), raw));
        assertEquals(Optional.empty(), BatchObjectReader.state("paused"));
    }

    @Test
    void anUnknownStatusIsReportedNotGuessed() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("b1", "hibernating", null)))) {
            ProviderException e = assertThrows(ProviderException.class, () -> provider(server).getBatch("b1"));
            assertTrue(e.getMessage().contains("hibernating"), e.getMessage());
        }
    }

    @Test
    void cancelPostsWithoutABody() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("b1", "cancelling", "k")))) {
            RemoteBatch batch = provider(server).cancelBatch("b1");
            assertEquals(BatchState.CANCELLING, batch.state());
            Received request = server.received().get(0);
            assertEquals("POST", request.method());
            assertEquals("/v1/batches/b1/cancel", request.path());
            assertEquals(0, request.body().length);
        }
    }

    @Test
    void idsCannotEscapeTheirPathSegment() throws Exception {
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, batchJson("x", "completed", null)))) {
            provider(server).getBatch("../files/f 1");
            assertEquals("/v1/batches/..%2Ffiles%2Ff%201", server.received().get(0).path());
            assertThrows(IllegalArgumentException.class, () -> provider(server).getBatch(".."));
        }
    }

    @Test
    void downloadWritesTheWholeFileUnderTheTargetName(@TempDir Path dir) throws Exception {
        byte[] content = "{\"custom_id\":\"a\"}\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve("out").resolve("attempt-1.output.jsonl");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.bytes(200, content))) {
            provider(server).download("file-out1", target);

            assertArrayEquals(content, Files.readAllBytes(target));
            assertEquals("/v1/files/file-out1/content", server.received().get(0).path());
            try (Stream<Path> files = Files.list(target.getParent())) {
                assertEquals(List.of(target), files.toList(), "no temporary file left behind");
            }
        }
    }

    @Test
    void anEmptyResultFileIsAnEmptyFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("errors.jsonl");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.bytes(200, new byte[0]))) {
            provider(server).download("file-err0", target);
            assertEquals(0, Files.size(target));
        }
    }

    @Test
    void aFailedDownloadLeavesNoPartialTarget(@TempDir Path dir) throws Exception {
        byte[] content = "{\"custom_id\":\"a\"}\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve("attempt-1.output.jsonl");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.truncated(content, content.length / 2))) {
            assertThrows(IOException.class, () -> provider(server).download("file-out1", target));

            assertEquals(3, server.received().size(), "retried, then gave up");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    @Test
    void aFailedDownloadKeepsAnEarlierCompleteFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("attempt-1.output.jsonl");
        Files.writeString(target, "complete\n");
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(404,
                "{\"error\":{\"message\":\"No such File object: file-gone\",\"type\":\"invalid_request_error\",\"param\":\"id\",\"code\":null}}"))) {
            ProviderException e = assertThrows(ProviderException.class, () -> provider(server).download("file-gone", target));
            assertEquals(404, e.httpStatus());
            assertEquals("complete\n", Files.readString(target));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(target), files.toList());
            }
        }
    }

    @Test
    void theKeyAppearsInNoExceptionMessage(@TempDir Path dir) throws Exception {
        List<Throwable> failures = new ArrayList<>();
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"))) {
            for (AuthStyle style : AuthStyle.values()) {
                OpenAiProvider provider = new OpenAiProvider(server.uri("/v1").toString(), KEY, style, quickTransport(1));
                failures.add(assertThrows(ProviderException.class, () -> provider.getBatch("b1")));
                failures.add(assertThrows(ProviderException.class, () -> provider.findBatch("k")));
                failures.add(assertThrows(ProviderException.class, () -> provider.download("f1", dir.resolve("x"))));
                Path input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");
                failures.add(assertThrows(ProviderException.class, () -> provider.upload(input, "in.jsonl")));
                assertFalse(provider.toString().contains(KEY), provider.toString());
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        OpenAiProvider unreachable = new OpenAiProvider("http://127.0.0.1:" + port + "/v1", KEY, AuthStyle.BEARER, quickTransport(1));
        failures.add(assertThrows(IOException.class, () -> unreachable.getBatch("b1")));
        failures.add(assertThrows(IllegalArgumentException.class,
                () -> new OpenAiProvider(null, KEY + "\r\nX-Evil: 1", AuthStyle.BEARER, quickTransport(0))));

        assertEquals(10, failures.size());
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(KEY), t.toString());
                assertFalse(t.toString().contains(KEY), t.toString());
            }
        }
    }

    @Test
    void defaultsToOpenAi() {
        OpenAiProvider provider = new OpenAiProvider(null, KEY, AuthStyle.BEARER, quickTransport(0));
        assertEquals("https://api.openai.com/v1/batches?limit=100", provider.uri("/batches", "limit", "100").toString());
        assertEquals("https://example.test/v1/files", new OpenAiProvider("https://example.test/v1/", KEY, AuthStyle.BEARER,
                quickTransport(0)).uri("/files").toString());
        assertEquals("openai", provider.name());
        assertTrue(provider.usesUploadedFiles());
    }

    // ---- helpers -----------------------------------------------------------------------------

    private record Part(String headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A strict reader of the multipart body as a server would split it. */
    private static Map<String, Part> parseMultipart(byte[] body, String boundary) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] first = ("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], body[i], "body starts with the first boundary");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        int pos = first.length;
        while (true) {
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
            int next = indexOf(body, delimiter, headersEnd + 4);
            byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
            String name = headers.replaceAll("(?s).*?; name=\"([^\"]*)\".*", "$1");
            parts.put(name, new Part(headers, content));
            int after = next + delimiter.length;
            if (body[after] == '-' && body[after + 1] == '-') {
                assertEquals(after + 4, body.length, "nothing after the closing boundary but CRLF");
                return parts;
            }
            pos = after + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    /** Scalar leaves of a JSON object keyed by their dotted path. */
    private static Map<String, Object> flatJson(String json) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            flatten(parser, "", out);
        }
        return out;
    }

    private static void flatten(JsonParser parser, String prefix, Map<String, Object> out) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                flatten(parser, name + ".", out);
            } else {
                out.put(name, parser.getText());
            }
        }
    }
}
