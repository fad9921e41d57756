package io.github.llmbatch.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real job in a real WildFly 39 configured by server-config/configure.cli: records from a
 * PostgreSQL table, results and rejects into PostgreSQL tables, the provider emulator as its own
 * process, everything driven over the REST API. Covers a plain run, a stop and restart (with the
 * database lease refusing a second holder), and a server killed with batches in flight and
 * restarted. One server and one emulator serve all three, in that order (the crash last).
 */
@RequiresPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyJdbcJobIT {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final String DATASOURCE = "java:jboss/datasources/LlmBatchDS";
    private static final String API_KEY = "sk-it-jdbc-not-a-real-key";
    private static final int REVIEWS = 200;
    private static final int PER_SHARD = 50;
    private static final int TICKETS = 60;
    /** The ticket whose body is NULL: a template field missing, so a reject. */
    private static final int TICKET_WITHOUT_BODY = 17;

    private static PostgresDatabase database;
    private static EmulatorProcess emulator;
    private static WildFlyServer server;
    private static BatchRestClient api;

    @BeforeAll
    static void deploy() throws Exception {
        database = PostgresDatabase.createFresh("llmbatch_jdbc_it");
        createInputTables();
        server = WildFlyServer.fresh("jdbc-it")
                .environment("LLMBATCH_DB_URL", database.jdbcUrl())
                .environment("LLMBATCH_DB_USER", database.user())
                .environment("LLMBATCH_DB_PASSWORD", database.password())
                .environment("OPENAI_API_KEY", API_KEY);
        // batches stay in progress for 6 s: long enough to stop a job or kill the server under them
        emulator = EmulatorProcess.start(Path.of(System.getProperty("llmbatch.dist")), "inProgressMs=6000",
                server.baseDir());
        server.start();
        server.cliScript(Path.of(System.getProperty("llmbatch.serverConfig", "server-config"), "configure.cli"),
                Map.of("llmbatch.postgresql.jar", System.getProperty("postgresql.jar")));
        server.addApplicationUser("operator", "operator-pw-1!", "llm-batch-operator");
        server.deploy(Path.of(System.getProperty("llmbatch.war")));
        api = new BatchRestClient(server.httpUri("/llm-batch/api/"), "operator", "operator-pw-1!");
    }

    @AfterAll
    static void shutDown() throws Exception {
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

    private static void createInputTables() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE reviews (id TEXT PRIMARY KEY, product TEXT NOT NULL, stars INTEGER NOT NULL,"
                    + " body TEXT)");
            s.execute("INSERT INTO reviews SELECT 'r-' || lpad(n::text, 4, '0'), 'product ' || n, n % 5 + 1,"
                    + " 'body of review ' || n FROM generate_series(1, " + REVIEWS + ") n");
            s.execute("CREATE TABLE tickets (ticket_no INTEGER PRIMARY KEY, subject TEXT, body TEXT, lang TEXT)");
            s.execute("INSERT INTO tickets SELECT n, 'subject ' || n, CASE WHEN n = " + TICKET_WITHOUT_BODY
                    + " THEN NULL ELSE 'body ' || n END, CASE WHEN n % 2 = 0 THEN 'en' ELSE 'de' END"
                    + " FROM generate_series(1, " + TICKETS + ") n");
        }
    }

    private static Map<String, String> reviewJob(String outputTable) {
        Map<String, String> p = new HashMap<>();
        p.put("inputDataSource", DATASOURCE);
        p.put("inputTable", "reviews");
        p.put("outputTable", outputTable);
        p.put("baseUrl", emulator.baseUrl());
        p.put("model", "gpt-4o-mini");
        p.put("userTemplate", "Classify: {{body}}");
        p.put("maxRequestsPerFile", Integer.toString(PER_SHARD));
        p.put("pollInterval", "1s");
        return p;
    }

    /** (a) table in, table out, over REST: every row answered, one batch per shard. */
    @Test
    @Order(1)
    void jobFromATableToATableCompletesWithEveryRowAnswered() throws Exception {
        JsonObjectBuilder body = Json.createObjectBuilder();
        reviewJob("results_a").forEach(body::add);
        body.add("maxRequestsPerFile", PER_SHARD); // a JSON number, as users write it
        String json = body.build().toString();
        BatchRestClient.Answer anonymous = api.anonymous().call("POST", "jobs/llm-batch/start", json);
        JsonObject started = api.call("POST", "jobs/llm-batch/start", json).json().asJsonObject();
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();

        JsonObject done = api.awaitStatus(id, Set.of("COMPLETED", "FAILED", "STOPPED"), JOB_TIMEOUT);

        assertEquals(401, anonymous.status(), anonymous.body());
        assertEquals(List.of("1"), query("SELECT count(*) FROM job_instance WHERE jobname = 'llm-batch'"),
                "the call without credentials started a job");
        assertEquals("COMPLETED", done.getString("batchStatus"), done.toString());
        assertEquals("COMPLETED", done.getString("exitStatus"));
        assertEquals(Integer.toString(PER_SHARD), done.getJsonObject("jobParameters").getString("maxRequestsPerFile"));
        assertReviewResultsComplete("results_a");
        assertEquals(List.of("0"), query("SELECT count(*) FROM results_a_rejects"));
        assertOneBatchPerShard(instance, REVIEWS / PER_SHARD);
        // workDir defaults to ${jboss.server.data.dir}/llm-batch
        assertTrue(Files.exists(server.dataDir().resolve("llm-batch/instance-" + instance + "/ledger.json")));
        assertEquals(List.of(), query("SELECT holder FROM llm_batch_lease"));
        assertTrue(server.serverLog().contains("the lease of job instance llm-batch/" + instance
                + " is renewed on java:comp/DefaultManagedScheduledExecutorService"), "heartbeat on the managed executor");
        assertTrue(server.serverLog().matches("(?s).*prepare of job instance llm-batch/" + instance
                + " runs \\d+ workers on java:comp/DefaultManagedExecutorService\n.*"),
                "prepare's workers and the shard writes on the managed executor");
    }

    /**
     * (c) stopped over REST while its batches run, then restarted: completes. In between, a lease
     * held by another node (a row in llm_batch_lease) makes a restart fail at once.
     */
    @Test
    @Order(2)
    void runningJobStoppedOverRestAndRestartedCompletes() throws Exception {
        Map<String, String> params = new HashMap<>(reviewJob("results_c"));
        params.remove("inputTable");
        params.put("inputQuery", "SELECT ticket_no AS id, subject, body FROM tickets WHERE lang IS NOT NULL");
        params.put("maxRequestsPerFile", "20");
        JsonObject started = api.start("llm-batch", params);
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();
        String leaseKey = "llm-batch/" + instance;
        awaitBatches(instance, 1);
        List<String> holderWhileRunning = query("SELECT holder FROM llm_batch_lease WHERE instance_key = '"
                + leaseKey + "'");

        api.stop(id);
        JsonObject stopped = api.awaitStatus(id, Set.of("STOPPED", "FAILED", "COMPLETED"), JOB_TIMEOUT);
        List<String> holderAfterStop = query("SELECT holder FROM llm_batch_lease WHERE instance_key = '"
                + leaseKey + "'");
        BatchRestClient.Answer anonymousRestart = api.anonymous().call("POST", "jobexecutions/" + id + "/restart", "{}");
        List<String> executionsAfterAnonymousRestart = executionsOf(instance);
        execute("INSERT INTO llm_batch_lease VALUES ('" + leaseKey + "', 'execution 999 on node-b',"
                + " CURRENT_TIMESTAMP + INTERVAL '5 minutes')");
        long refusedId = api.restart(id, Map.of()).getJsonNumber("executionId").longValue();
        JsonObject refused = api.awaitStatus(refusedId, Set.of("STOPPED", "FAILED", "COMPLETED"), JOB_TIMEOUT);
        execute("DELETE FROM llm_batch_lease WHERE instance_key = '" + leaseKey + "'");
        long restartId = api.restart(refusedId, Map.of()).getJsonNumber("executionId").longValue();
        JsonObject done = api.awaitStatus(restartId, Set.of("STOPPED", "FAILED", "COMPLETED"), JOB_TIMEOUT);

        assertEquals(1, holderWhileRunning.size());
        assertTrue(holderWhileRunning.get(0).startsWith("execution " + id + " on "), holderWhileRunning.toString());
        assertEquals("STOPPED", stopped.getString("batchStatus"), stopped.toString());
        assertEquals("STOPPED", stopped.getString("exitStatus"));
        assertEquals(List.of(), holderAfterStop);
        assertEquals(401, anonymousRestart.status(), anonymousRestart.body());
        assertEquals(List.of(Long.toString(id)), executionsAfterAnonymousRestart, "the call without credentials restarted");
        assertEquals("FAILED", refused.getString("batchStatus"));
        assertTrue(refused.getString("exitStatus").startsWith("REFUSED: job instance " + leaseKey
                + " is running elsewhere: the lease in table llm_batch_lease is held by execution 999 on node-b"),
                refused.getString("exitStatus"));
        assertEquals("COMPLETED", done.getString("batchStatus"), done.toString());
        List<String> results = query("SELECT id || '|' || status || '|' || content FROM results_c"
                + " ORDER BY id::integer");
        assertEquals(TICKETS - 1, results.size());
        for (String row : results) {
            String ticket = row.substring(0, row.indexOf('|'));
            assertEquals(ticket + "|succeeded|[emulated] " + ticket + ": Classify: body " + ticket, row);
        }
        assertEquals(List.of(TICKET_WITHOUT_BODY + "|" + TICKET_WITHOUT_BODY + "|missing field 'body' used by the"
                + " template"), query("SELECT line || '|' || id || '|' || reason FROM results_c_rejects"));
        assertOneBatchPerShard(instance, 3);
    }

    /**
     * (b) kill -9 while the instance's batches are in progress at the provider; after the server
     * starts again (and the dead server's lease has expired), a restart over REST completes the
     * job with every row, without creating any batch a second time.
     */
    @Test
    @Order(3)
    void jobOfAKilledServerRestartsAfterRebootWithOneBatchPerShardAttempt() throws Exception {
        JsonObject started = api.start("llm-batch", reviewJob("results_b"));
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();
        List<String> inFlight = awaitBatches(instance, 2);

        server.kill();
        server.start();
        String statusAfterReboot = api.execution(id).getString("batchStatus");
        awaitLeaseExpiry("llm-batch/" + instance);
        BatchRestClient.Answer anonymousRestart = api.anonymous().call("POST", "jobexecutions/" + id + "/restart", "{}");
        List<String> executionsAfterAnonymousRestart = executionsOf(instance);
        long restartId = api.restart(id, Map.of()).getJsonNumber("executionId").longValue();
        JsonObject done = api.awaitStatus(restartId, Set.of("COMPLETED", "FAILED", "STOPPED"), JOB_TIMEOUT);

        assertTrue(inFlight.stream().anyMatch(b -> b.endsWith(" in_progress") || b.endsWith(" validating")),
                inFlight.toString());
        assertEquals("STARTED", statusAfterReboot);
        assertEquals(401, anonymousRestart.status(), anonymousRestart.body());
        assertEquals(List.of(Long.toString(id)), executionsAfterAnonymousRestart, "the call without credentials restarted");
        assertEquals("COMPLETED", done.getString("batchStatus"), done.toString());
        assertEquals("FAILED", api.execution(id).getString("batchStatus"));
        assertReviewResultsComplete("results_b");
        assertOneBatchPerShard(instance, REVIEWS / PER_SHARD);
    }

    /**
     * (d) cancelled over REST by starting job llm-batch-cancel (what the REST API's cancel starts): the running
     * execution sees the request on the server's managed scheduler, cancels its batches and ends STOPPED,
     * the cancel job waits for its lease; no batch of the instance runs on, and a restart completes with
     * every row and no new batch.
     */
    @Test
    @Order(4)
    void runningJobCancelledOverRestEndsStoppedAndARestartCompletes() throws Exception {
        JsonObject started = api.start("llm-batch", reviewJob("results_d"));
        long id = started.getJsonNumber("executionId").longValue();
        long instance = started.getJsonNumber("jobInstanceId").longValue();
        awaitBatches(instance, REVIEWS / PER_SHARD);

        long cancelId = api.start("llm-batch-cancel", Map.of("execution", Long.toString(id)))
                .getJsonNumber("executionId").longValue();
        JsonObject cancel = api.awaitStatus(cancelId, Set.of("COMPLETED", "FAILED", "STOPPED"), JOB_TIMEOUT);
        JsonObject stopped = api.awaitStatus(id, Set.of("COMPLETED", "FAILED", "STOPPED"), JOB_TIMEOUT);
        List<String> batches = emulator.batchesOf(instance);
        long restartId = api.restart(id, Map.of()).getJsonNumber("executionId").longValue();
        JsonObject done = api.awaitStatus(restartId, Set.of("COMPLETED", "FAILED", "STOPPED"), JOB_TIMEOUT);

        assertEquals("COMPLETED", cancel.getString("batchStatus"), cancel.toString());
        String exit = cancel.getString("exitStatus");
        assertTrue(exit.startsWith("CANCELLED: ") && exit.endsWith("; execution " + id + " STOPPED"), exit);
        assertEquals("STOPPED", stopped.getString("batchStatus"), stopped.toString());
        assertTrue(stopped.getString("exitStatus").startsWith("CANCELLED: "), stopped.toString());
        assertTrue(batches.stream().allMatch(b -> b.endsWith(" cancelled") || b.endsWith(" completed")),
                "no batch runs on at the provider: " + batches);
        assertEquals("COMPLETED", done.getString("batchStatus"), done.toString());
        assertEquals(batches.size(), emulator.batchesOf(instance).size(), "no batch created after the cancel");
        assertEquals(List.of(Integer.toString(REVIEWS)), query("SELECT count(*) FROM results_d"));
        assertEquals(List.of(), query("SELECT holder FROM llm_batch_lease WHERE instance_key = 'llm-batch/"
                + instance + "'"));
    }

    private static void assertReviewResultsComplete(String table) throws SQLException {
        List<String> rows = query("SELECT id || '|' || status || '|' || content || '|' || attempts || '|'"
                + " || (record->>'stars') || '|' || coalesce(error_code, '-') FROM " + table + " ORDER BY id");
        assertEquals(REVIEWS, rows.size());
        for (int n = 1; n <= REVIEWS; n++) {
            String id = String.format("r-%04d", n);
            assertEquals(id + "|succeeded|[emulated] " + id + ": Classify: body of review " + n + "|1|"
                    + (n % 5 + 1) + "|-", rows.get(n - 1));
        }
    }

    /** The emulator saw exactly one upload and one batch per shard (first attempts only: nothing failed). */
    private static void assertOneBatchPerShard(long instance, int shards) throws Exception {
        List<String> keys = new ArrayList<>();
        for (String batch : emulator.batchesOf(instance)) {
            keys.add(batch.substring(0, batch.indexOf(' ')));
        }
        Set<String> shardAttempts = new HashSet<>();
        for (String key : keys) {
            shardAttempts.add(key.replaceFirst("^.*-i" + instance + "-", ""));
        }
        assertEquals(shards, keys.size(), keys.toString());
        assertEquals(new HashSet<>(keys).size(), keys.size(), "a batch created twice: " + keys);
        Set<String> expected = new HashSet<>();
        for (int s = 1; s <= shards; s++) {
            expected.add("s" + s + "-a1");
        }
        assertEquals(expected, shardAttempts, keys.toString());
        List<String> uploads = emulator.uploadsOf(instance);
        assertEquals(keys.stream().map(k -> "llm-batch-" + k + ".jsonl").sorted().toList(),
                uploads.stream().sorted().toList(), "one upload per shard attempt");
    }

    /** Waits until the emulator has at least {@code n} batches of the instance; returns them with their status. */
    private static List<String> awaitBatches(long instance, int n) throws Exception {
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

    /** Waits until no live lease of the key is left: the dead server's expires 30 s after its last renewal. */
    private static void awaitLeaseExpiry(String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!query("SELECT holder FROM llm_batch_lease WHERE instance_key = '" + key
                + "' AND expires_at >= CURRENT_TIMESTAMP").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the lease of " + key + " did not expire");
            }
            Thread.sleep(500);
        }
    }

    /** The ids of the instance's executions in JBeret's table, oldest first. */
    private static List<String> executionsOf(long instance) throws SQLException {
        return query("SELECT jobexecutionid FROM job_execution WHERE jobinstanceid = " + instance
                + " ORDER BY jobexecutionid");
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
