package io.github.llmbatch.wildfly;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;

/**
 * A client of the application's batch REST API ({@code /llm-batch/api}), as a user would call
 * it: JSON over HTTP with the JDK client, as a user of the server's realm (HTTP Basic), or as
 * nobody ({@link #anonymous()}).
 */
public final class BatchRestClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI api;
    private final String authorization;

    public BatchRestClient(URI api, String user, String password) {
        this(api, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private BatchRestClient(URI api, String authorization) {
        this.api = api;
        this.authorization = authorization;
    }

    /** The same API without credentials. */
    public BatchRestClient anonymous() {
        return new BatchRestClient(api, (String) null);
    }

    public JsonArray jobs() throws IOException, InterruptedException {
        return (JsonArray) send("GET", "jobs", null, 200);
    }

    /** {@code POST /jobs/{job}/start} with the job parameters as a JSON object. */
    public JsonObject start(String job, Map<String, String> parameters) throws IOException, InterruptedException {
        return (JsonObject) send("POST", "jobs/" + job + "/start", json(parameters), 201);
    }

    public JsonObject execution(long id) throws IOException, InterruptedException {
        return (JsonObject) send("GET", "jobexecutions/" + id, null, 200);
    }

    public void stop(long id) throws IOException, InterruptedException {
        send("POST", "jobexecutions/" + id + "/stop", null, 204);
    }

    /** {@code POST /jobexecutions/{id}/restart}; returns the new execution. */
    public JsonObject restart(long id, Map<String, String> parameters) throws IOException, InterruptedException {
        return (JsonObject) send("POST", "jobexecutions/" + id + "/restart", json(parameters), 200);
    }

    /** Polls the execution until its batch status is one of {@code statuses}. */
    public JsonObject awaitStatus(long id, Set<String> statuses, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject execution = execution(id);
        while (!statuses.contains(execution.getString("batchStatus"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("execution " + id + " not in " + statuses + " after " + timeout
                        + ": " + execution);
            }
            Thread.sleep(200);
            execution = execution(id);
        }
        return execution;
    }

    /** One request as it is; for answers the typed methods above do not expect. */
    public Answer call(String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** A status code and a body, parsed as JSON on demand. */
    public record Answer(int status, String body) {
        public JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }
    }

    private JsonStructure send(String method, String path, String body, int expectedStatus)
            throws IOException, InterruptedException {
        Answer answer = call(method, path, body);
        if (answer.status() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + answer.status()
                    + ", expected " + expectedStatus + ": " + answer.body());
        }
        return answer.body().isEmpty() ? null : answer.json();
    }

    private static String json(Map<String, String> parameters) {
        JsonObjectBuilder builder = Json.createObjectBuilder();
        parameters.forEach(builder::add);
        return builder.build().toString();
    }
}
