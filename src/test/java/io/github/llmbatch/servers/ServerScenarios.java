package io.github.llmbatch.servers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.wildfly.BatchRestClient;
import io.github.llmbatch.wildfly.EmulatorProcess;
import io.github.llmbatch.wildfly.PostgresDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three things a user of any server does with the WAR, over its REST API, against the
 * provider emulator as its own process and a job repository in a fresh PostgreSQL database:
 * a run started with JSON numbers completes with every record; a run stopped while it polls
 * and restarted with {@code {}} completes with the same bytes and no batch created twice; a
 * run whose server is killed with batches in flight is restarted after the reboot and
 * completes the same way. Each also checks that a call without credentials gets 401 and starts
 * nothing. A subclass supplies the server; one server and one emulator serve all three, in
 * that order (the crash last).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServerScenarios {

    protected static final String OPERATOR = "operator";
    protected static final String OPERATOR_PASSWORD = "operator-pw-1!";
    protected static final String API_KEY = "sk-it-servers-not-a-real-key";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final int RECORDS = 200;
    private static final int PER_SHARD = 50;
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

    protected PostgresDatabase database;
    private EmulatorProcess emulator;
    private AppServer server;
    private BatchRestClient api;
    private Path input;

    /** The server under test, not started yet, whose job repository is {@code database}. */
    protected abstract AppServer newServer(PostgresDatabase database) throws Exception;

    /**
     * The environment of a server whose configuration names the database by its parts
     * ({@code LLMBATCH_DB_HOST}, {@code _PORT}, {@code _NAME}, {@code _USER}, {@code _PASSWORD}),
     * with the provider key.
     */
    protected static Map<String, String> databaseByParts(PostgresDatabase database) {
        return Map.of(
                "LLMBATCH_DB_HOST", database.host(),
                "LLMBATCH_DB_PORT", Integer.toString(database.port()),
                "LLMBATCH_DB_NAME", database.name(),
                "LLMBATCH_DB_USER", database.user(),
                "LLMBATCH_DB_PASSWORD", database.password(),
                "OPENAI_API_KEY", API_KEY);
    }

    /**
     * What the server's repository says of an execution that was running when the server was
     * killed, once it is back: runtimes differ (JBatch leaves it STARTED for good).
     */
    protected abstract String crashedExecutionStatusAfterReboot();

    /**
     * Takes the job instance's lock as another process would, so that an execution of the
     * instance is refused while it is held. By default the file lock in the instance's work
     * directory ({@code -Dllmbatch.workDir=RUN_DIR/llm-batch}); a server whose configuration
     * makes the lock a lease in the database takes that instead.
     */
    protected AutoCloseable holdInstanceLockElsewhere(long instance) throws Exception {
        return InstanceLock.acquire(InstancePaths.of(server.runDir().resolve("llm-batch"), instance).dir(),
                "the test JVM");
    }

    /**
     * Returns once a restart of the instance can take the lock the killed server held. A file
     * lock dies with its process, so by default at once; a database lease lasts until it expires.
     */
    protected void awaitLockOfTheKilledServer(long instance) throws Exception {
        // nothing to wait for
    }

    @BeforeAll
    void boot() throws Exception {
        database = PostgresDatabase.createFresh("llmbatch_" + getClass().getSimpleName().toLowerCase());
        server = newServer(database);
        // batches stay in progress for 6 s: long enough to stop a job or kill the server under them
        emulator = EmulatorProcess.start(Path.of(System.getProperty("llmbatch.dist")), "inProgressMs=6000",
                server.runDir());
        input = server.runDir().resolve("reviews.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= RECORDS; n++) {
            lines.append(Json.createObjectBuilder().add("id", String.format("r-%04d", n))
                    .add("stars", n % 5 + 1).add("text", "review " + n).build()).append('\n');
        }
        Files.writeString(input, lines);
        server.start();
        api = new BatchRestClient(server.api(), OPERATOR, OPERATOR_PASSWORD);
    }

    @AfterAll
    void shutDown() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                if (emulator != null) {
                    emulator.close();
                }
            } finally {
                if (database != null) {
                    database.close();
                }
            }
        }
    }

    /** The job parameters as a user writes them: the counts as JSON numbers. */
    private String job(String output) {
        JsonObjectBuilder p = Json.createObjectBuilder()
                .add("input", input.toString())
                .add("output", server.runDir().resolve(output).toString())
                .add("baseUrl", emulator.baseUrl())
                .add("model", "gpt-4o-mini")
                .add("userTemplate", "Classify: {{text}}")
                .add("maxTokens", 16)
                .add("maxRequestsPerFile", PER_SHARD)
                .add("pollInterval", "1s");
        return p.build().toString();
    }

    @Test
    @Order(1)
    void jobStartedWithJsonNumbersCompletesWithEveryRecord() throws Exception {
        BatchRestClient.Answer anonymous = api.anonymous().call("POST", "jobs/llm-batch/start", job("a.jsonl"));
        int instancesAfterAnonymous = instanceCount();
        JsonObject started = api.call("POST", "jobs/llm-batch/start", job("a.jsonl")).json().asJsonObject();
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();

        JsonObject done = api.awaitStatus(id, ENDED, JOB_TIMEOUT);

        assertEquals(401, anonymous.status(), anonymous.body());
        assertEquals(0, instancesAfterAnonymous, "the call without credentials started a job");
        assertEquals("COMPLETED", done.getString("batchStatus"), done + "\n" + server.logTail());
        assertEquals("COMPLETED", done.getString("exitStatus"));
        assertEquals("16", done.getJsonObject("jobParameters").getString("maxTokens"));
        assertEveryRecordAnswered(server.runDir().resolve("a.jsonl"));
        assertOneBatchPerShard(instance);
    }

    /**
     * In between, a restart while another process holds the instance lock is refused; the next
     * restart names the first execution again, and the API restarts the newest one (the only one
     * the runtimes take; on JBatch the refused one may linger in STARTING).
     */
    @Test
    @Order(2)
    void jobStoppedWhilePollingRestartsWithAnEmptyBodyToTheSameBytes() throws Exception {
        JsonObject started = api.call("POST", "jobs/llm-batch/start", job("c.jsonl")).json().asJsonObject();
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();
        awaitBatches(instance, 4); // every shard submitted: the job polls
        BatchRestClient.Answer anonymousStop = api.anonymous().call("POST", "jobexecutions/" + id + "/stop", null);
        String statusAfterAnonymousStop = api.execution(id).getString("batchStatus");

        api.stop(id);
        JsonObject stopped = api.awaitStatus(id, ENDED, JOB_TIMEOUT);
        BatchRestClient.Answer anonymousRestart = api.anonymous().call("POST", "jobexecutions/" + id + "/restart", "{}");
        int executionsAfterAnonymousRestart = executionsOf(instance);
        String refusedExit;
        try (AutoCloseable heldElsewhere = holdInstanceLockElsewhere(instance)) {
            JsonObject refused = api.restart(id, Map.of());
            refusedExit = settledExitStatus(refused.getJsonNumber("executionId").longValue());
        }
        // names the first execution again: the API restarts the newest, the refused one
        BatchRestClient.Answer restart = api.call("POST", "jobexecutions/" + id + "/restart", "{}");
        JsonObject restarted = restart.json().asJsonObject();
        JsonObject done = api.awaitStatus(restarted.getJsonNumber("executionId").longValue(), ENDED, JOB_TIMEOUT);

        assertTrue(refusedExit == null || refusedExit.startsWith("REFUSED: "), refusedExit);
        assertEquals(401, anonymousStop.status(), anonymousStop.body());
        assertEquals("STARTED", statusAfterAnonymousStop);
        assertEquals("STOPPED", stopped.getString("batchStatus"), stopped.toString());
        assertEquals("STOPPED", stopped.getString("exitStatus"));
        assertEquals(401, anonymousRestart.status(), anonymousRestart.body());
        assertEquals(1, executionsAfterAnonymousRestart, "the call without credentials restarted the job");
        assertEquals(200, restart.status(), restart.body());
        assertEquals(3, executionsOf(instance));
        assertEquals(instance, restarted.getJsonNumber("jobInstanceId").longValue());
        assertEquals(started.getJsonObject("jobParameters"), userParameters(restarted),
                "the restart with {} runs with the first execution's parameters");
        assertEquals("COMPLETED", done.getString("batchStatus"), done + "\n" + server.logTail());
        assertEquals("COMPLETED", done.getString("exitStatus"));
        assertSameBytes("a.jsonl", "c.jsonl");
        assertOneBatchPerShard(instance);
    }

    /**
     * kill -9 while the instance's batches are in progress at the provider; after the reboot
     * the job repository (PostgreSQL) still has the execution, and a restart with {@code {}}
     * completes it without creating any batch a second time.
     */
    @Test
    @Order(3)
    void jobOfAKilledServerRestartsAfterTheRebootToTheSameBytes() throws Exception {
        JsonObject started = api.call("POST", "jobs/llm-batch/start", job("b.jsonl")).json().asJsonObject();
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();
        List<String> inFlight = awaitBatches(instance, 2);

        server.kill();
        server.start();
        String statusAfterReboot = api.execution(id).getString("batchStatus");
        awaitLockOfTheKilledServer(instance);
        BatchRestClient.Answer anonymousRestart = api.anonymous().call("POST", "jobexecutions/" + id + "/restart", "{}");
        int executionsAfterAnonymousRestart = executionsOf(instance);
        BatchRestClient.Answer restart = api.call("POST", "jobexecutions/" + id + "/restart", "{}");
        JsonObject restarted = restart.json().asJsonObject();
        JsonObject done = api.awaitStatus(restarted.getJsonNumber("executionId").longValue(), ENDED, JOB_TIMEOUT);

        assertTrue(inFlight.stream().anyMatch(b -> b.endsWith(" in_progress") || b.endsWith(" validating")),
                inFlight.toString());
        assertEquals(crashedExecutionStatusAfterReboot(), statusAfterReboot);
        assertEquals(401, anonymousRestart.status(), anonymousRestart.body());
        assertEquals(1, executionsAfterAnonymousRestart, "the call without credentials restarted the job");
        assertEquals(200, restart.status(), restart.body());
        assertEquals("COMPLETED", done.getString("batchStatus"), done + "\n" + server.logTail());
        assertEquals("COMPLETED", done.getString("exitStatus"));
        assertSameBytes("a.jsonl", "b.jsonl");
        assertOneBatchPerShard(instance);
    }

    /**
     * The exit status of an execution refused by the instance lock, once it has one: JBeret and
     * Liberty end it FAILED with "REFUSED: …"; JBatch may leave it STARTING without one (then null
     * after 30 s).
     */
    private String settledExitStatus(long executionId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonObject execution = api.execution(executionId);
        while (!ENDED.contains(execution.getString("batchStatus")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            execution = api.execution(executionId);
        }
        return execution.isNull("exitStatus") ? null : execution.getString("exitStatus");
    }

    /**
     * An execution's job parameters less the one a runtime adds of its own: JBeret records the
     * job XML's name in the parameters of a restart ({@code jberet.jobXmlName}).
     */
    private static JsonObject userParameters(JsonObject execution) {
        return Json.createObjectBuilder(execution.getJsonObject("jobParameters")).remove("jberet.jobXmlName").build();
    }

    private void assertSameBytes(String expected, String actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(server.runDir().resolve(expected)),
                Files.readAllBytes(server.runDir().resolve(actual)), actual + " differs from " + expected);
    }

    private int executionsOf(long instance) throws IOException, InterruptedException {
        BatchRestClient.Answer executions = api.call("GET", "jobexecutions?jobInstanceId=" + instance, null);
        assertEquals(200, executions.status(), executions.body());
        return executions.json().asJsonArray().size();
    }

    private int instanceCount() throws IOException, InterruptedException {
        BatchRestClient.Answer count = api.call("GET", "jobinstances/count?jobName=llm-batch", null);
        assertEquals(200, count.status(), count.body());
        return Integer.parseInt(count.body().trim());
    }

    private void assertEveryRecordAnswered(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(RECORDS, lines.size());
        for (int n = 1; n <= RECORDS; n++) {
            JsonObject record = Json.createReader(new StringReader(lines.get(n - 1))).readObject();
            String id = String.format("r-%04d", n);
            assertEquals(id, record.getString("id"));
            assertEquals("succeeded", record.getString("status"), lines.get(n - 1));
            assertEquals("[emulated] " + id + ": Classify: review " + n, record.getString("content"));
            assertEquals(n % 5 + 1, record.getInt("stars"));
        }
    }

    /** The emulator saw one batch and one upload per shard, each created once. */
    private void assertOneBatchPerShard(long instance) throws Exception {
        List<String> keys = new ArrayList<>();
        for (String batch : emulator.batchesOf(instance)) {
            keys.add(batch.substring(0, batch.indexOf(' ')));
        }
        Set<String> shardAttempts = new HashSet<>();
        keys.forEach(key -> shardAttempts.add(key.replaceFirst("^.*-i" + instance + "-", "")));
        assertEquals(new HashSet<>(keys).size(), keys.size(), "a batch created twice: " + keys);
        assertEquals(Set.of("s1-a1", "s2-a1", "s3-a1", "s4-a1"), shardAttempts, keys.toString());
        assertEquals(keys.stream().map(k -> "llm-batch-" + k + ".jsonl").sorted().toList(),
                emulator.uploadsOf(instance).stream().sorted().toList(), "one upload per shard attempt");
    }

    private List<String> awaitBatches(long instance, int n) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> batches = emulator.batchesOf(instance);
            if (batches.size() >= n) {
                return batches;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + n + " batches of instance " + instance + ": "
                + emulator.batchesOf(instance));
    }
}
