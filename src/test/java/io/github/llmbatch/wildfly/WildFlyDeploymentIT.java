package io.github.llmbatch.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The WAR in a real WildFly 39, configured by server-config/configure.cli against a fresh
 * PostgreSQL database: the application's REST API answers under /llm-batch/api to users of
 * the application realm in role llm-batch-operator only, jobs run, stop, restart, and survive
 * a server crash, and the job repository really is that PostgreSQL database. Uses the test-only job {@code wildfly-probe} ({@link ProbeWar}).
 */
@RequiresPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyDeploymentIT {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final String ENV_KEY = "sk-it-env-not-a-real-key";
    private static final String STORED_KEY = "sk-it-stored-not-a-real-key";
    private static final String OPERATOR = "operator";
    private static final String OPERATOR_PASSWORD = "operator-pw-1!";
    private static final String VIEWER = "viewer";
    private static final String VIEWER_PASSWORD = "viewer-pw-1!";

    private static PostgresDatabase database;
    private static WildFlyServer server;
    private static BatchRestClient api;
    private static Map<String, String> configureProperties;

    @BeforeAll
    static void deploy() throws Exception {
        database = PostgresDatabase.createFresh("llmbatch_it");
        server = WildFlyServer.fresh("deployment-it")
                .environment("LLMBATCH_DB_URL", database.jdbcUrl())
                .environment("LLMBATCH_DB_USER", database.user())
                .environment("LLMBATCH_DB_PASSWORD", database.password())
                .environment(ProbeBatchlet.API_KEY_ENV, ENV_KEY);
        server.start();
        configureProperties = Map.of("llmbatch.postgresql.jar", System.getProperty("postgresql.jar"));
        server.cliScript(configureScript(), configureProperties);
        Path war = ProbeWar.build(Path.of(System.getProperty("llmbatch.war")), server.baseDir().resolve("wars"));
        server.addApplicationUser(OPERATOR, OPERATOR_PASSWORD, "llm-batch-operator");
        server.addApplicationUser(VIEWER, VIEWER_PASSWORD, "guest");
        server.deploy(war);
        api = new BatchRestClient(server.httpUri("/llm-batch/api/"), OPERATOR, OPERATOR_PASSWORD);
    }

    @AfterAll
    static void shutDown() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    @Order(1)
    void restApiListsTheJobsOfTheWar() throws Exception {
        List<String> names = new ArrayList<>();
        api.jobs().forEach(job -> names.add(job.asJsonObject().getString("jobName")));

        assertTrue(names.containsAll(List.of("llm-batch", ProbeWar.JOB_NAME)), names.toString());
    }

    /** The API spends money: without the role nothing is started, whatever the path. */
    @Test
    @Order(1)
    void callersWithoutTheOperatorRoleAreRefusedAndStartNothing() throws Exception {
        int instancesBefore = instanceCount(ProbeWar.JOB_NAME);
        BatchRestClient nobody = api.anonymous();
        BatchRestClient wrongPassword = new BatchRestClient(server.httpUri("/llm-batch/api/"), OPERATOR, "wrong");
        BatchRestClient viewer = new BatchRestClient(server.httpUri("/llm-batch/api/"), VIEWER, VIEWER_PASSWORD);
        String start = "jobs/" + ProbeWar.JOB_NAME + "/start";

        BatchRestClient.Answer anonymousStart = nobody.call("POST", start, "{\"waitSeconds\": 0}");
        BatchRestClient.Answer anonymousList = nobody.call("GET", "jobs", null);
        BatchRestClient.Answer anonymousCancel = nobody.call("POST", "jobexecutions/1/cancel", null);
        BatchRestClient.Answer badPasswordStart = wrongPassword.call("POST", start, "{\"waitSeconds\": 0}");
        BatchRestClient.Answer viewerStart = viewer.call("POST", start, "{\"waitSeconds\": 0}");

        assertEquals(401, anonymousStart.status(), anonymousStart.body());
        assertEquals(401, anonymousList.status(), anonymousList.body());
        assertEquals(401, anonymousCancel.status(), anonymousCancel.body());
        assertEquals(401, badPasswordStart.status(), badPasswordStart.body());
        assertEquals(403, viewerStart.status(), viewerStart.body());
        assertEquals(instancesBefore, instanceCount(ProbeWar.JOB_NAME), "a refused call started a job");
        assertEquals(List.of(), repositoryParametersOf("llm-batch-cancel"));
    }

    /**
     * The cancel path starts job llm-batch-cancel for the execution (written on another branch:
     * here it may be missing, which the answer must then say by name).
     */
    @Test
    @Order(2)
    void cancelStartsTheCancelJobForTheExecution() throws Exception {
        JsonObject done = api.start(ProbeWar.JOB_NAME, Map.of("waitSeconds", "0"));
        long id = done.getJsonNumber("executionId").longValue();
        api.awaitStatus(id, Set.of("COMPLETED"), JOB_TIMEOUT);

        BatchRestClient.Answer unknown = api.call("POST", "jobexecutions/987654321/cancel", null);
        BatchRestClient.Answer cancel = api.call("POST", "jobexecutions/" + id + "/cancel", null);

        assertEquals(404, unknown.status(), unknown.body());
        assertEquals(List.of(), repositoryParametersOf("llm-batch-cancel").stream().filter(p -> p.contains("987654321"))
                .toList(), "a cancel job started for an unknown execution");
        if (cancel.status() == 201) {
            JsonObject started = cancel.json().asJsonObject();
            assertEquals("llm-batch-cancel", started.getString("jobName"));
            assertEquals(Long.toString(id), started.getJsonObject("jobParameters").getString("execution"));
        } else {
            assertEquals(400, cancel.status(), cancel.body());
            assertEquals("JobStartException", cancel.json().asJsonObject().getString("type"), cancel.body());
            assertTrue(cancel.body().contains("llm-batch-cancel"), cancel.body());
        }
    }

    @Test
    @Order(2)
    void startedJobCompletesInThePostgresRepositoryAndSeesServerConfig() throws Exception {
        JsonObject started = api.start(ProbeWar.JOB_NAME, Map.of("waitSeconds", "0"));
        long id = started.getJsonNumber("executionId").longValue();

        JsonObject done = api.awaitStatus(id, Set.of("COMPLETED", "FAILED"), JOB_TIMEOUT);

        String expectedExit = "apiKey=env;workDir=" + server.dataDir().resolve("llm-batch");
        assertEquals("COMPLETED", done.getString("batchStatus"));
        assertEquals(expectedExit, done.getString("exitStatus"));
        assertEquals(List.of("COMPLETED:" + expectedExit), repositoryExecutions(started));
    }

    @Test
    @Order(2)
    void numericJobParametersArriveAsStrings() throws Exception {
        JsonObject started = api.call("POST", "jobs/" + ProbeWar.JOB_NAME + "/start", "{\"waitSeconds\": 0}")
                .json().asJsonObject();
        long id = started.getJsonNumber("executionId").longValue();

        JsonObject done = api.awaitStatus(id, Set.of("COMPLETED", "FAILED"), JOB_TIMEOUT);

        assertEquals("0", done.getJsonObject("jobParameters").getString("waitSeconds"));
        assertEquals("COMPLETED", done.getString("batchStatus"));
    }

    @Test
    @Order(2)
    void failedOperationsAnswerWithAStatusAndNoStackTrace() throws Exception {
        BatchRestClient.Answer unknown = api.call("GET", "jobexecutions/987654321", null);
        JsonObject completed = api.start(ProbeWar.JOB_NAME, Map.of("waitSeconds", "0"));
        long id = completed.getJsonNumber("executionId").longValue();
        api.awaitStatus(id, Set.of("COMPLETED"), JOB_TIMEOUT);
        BatchRestClient.Answer restartCompleted = api.call("POST", "jobexecutions/" + id + "/restart", "{}");

        assertEquals(404, unknown.status(), unknown.body());
        assertEquals("NoSuchJobExecutionException", unknown.json().asJsonObject().getString("type"));
        assertEquals(409, restartCompleted.status(), restartCompleted.body());
        assertEquals(Set.of("type", "message"), restartCompleted.json().asJsonObject().keySet());
    }

    @Test
    @Order(3)
    void configureScriptRunsAgainWithoutChangingAnything() throws Exception {
        String before = server.cliCommand("/subsystem=batch-jberet:read-resource(recursive=true)")
                + server.cliCommand("/subsystem=datasources/data-source=LlmBatchDS:read-resource");

        String output = server.cliScript(configureScript(), configureProperties);

        String after = server.cliCommand("/subsystem=batch-jberet:read-resource(recursive=true)")
                + server.cliCommand("/subsystem=datasources/data-source=LlmBatchDS:read-resource");
        assertEquals(before, after);
        assertTrue(!output.contains("reload-required"), output);
        assertTrue(server.cliCommand(":read-attribute(name=server-state)").contains("\"running\""));
    }

    @Test
    @Order(4)
    void stoppedExecutionRestartsOverRestInTheSameInstance() throws Exception {
        JsonObject started = api.start(ProbeWar.JOB_NAME, Map.of("waitSeconds", "600"));
        long id = started.getJsonNumber("executionId").longValue();
        api.awaitStatus(id, Set.of("STARTED"), JOB_TIMEOUT);

        api.stop(id);
        JsonObject stopped = api.awaitStatus(id, Set.of("STOPPED", "FAILED", "COMPLETED"), JOB_TIMEOUT);
        JsonObject restarted = api.restart(id, Map.of("waitSeconds", "0"));
        long restartId = restarted.getJsonNumber("executionId").longValue();
        JsonObject done = api.awaitStatus(restartId, Set.of("COMPLETED", "FAILED"), JOB_TIMEOUT);

        assertEquals("STOPPED", stopped.getString("batchStatus"));
        assertNotEquals(id, restartId);
        assertEquals(started.getJsonNumber("jobInstanceId"), restarted.getJsonNumber("jobInstanceId"));
        assertEquals("COMPLETED", done.getString("batchStatus"));
        assertEquals(List.of("STOPPED:STOPPED", "COMPLETED:" + done.getString("exitStatus")),
                repositoryExecutions(started));
    }

    /**
     * kill -9 while an execution runs, then start the server again: the repository still says
     * STARTED (nothing ran to say otherwise), and a restart through the REST API runs the
     * instance on. The restarted server has no API key in its environment, only the encrypted
     * expression from the credential store, which the application must see instead.
     */
    @Test
    @Order(5)
    void executionInterruptedByServerCrashRestartsAfterReboot() throws Exception {
        JsonObject started = api.start(ProbeWar.JOB_NAME, Map.of("waitSeconds", "600"));
        long id = started.getJsonNumber("executionId").longValue();
        api.awaitStatus(id, Set.of("STARTED"), JOB_TIMEOUT);
        storeApiKeyInCredentialStore(STORED_KEY);

        server.kill();
        server.withoutEnvironment(ProbeBatchlet.API_KEY_ENV).start();

        assertEquals("STARTED", api.execution(id).getString("batchStatus"));
        JsonObject restarted = api.restart(id, Map.of("waitSeconds", "0"));
        long restartId = restarted.getJsonNumber("executionId").longValue();
        JsonObject done = api.awaitStatus(restartId, Set.of("COMPLETED", "FAILED"), JOB_TIMEOUT);

        String expectedExit = "apiKey=property;workDir=" + server.dataDir().resolve("llm-batch");
        assertEquals("COMPLETED", done.getString("batchStatus"), done.toString());
        assertEquals(expectedExit, done.getString("exitStatus"));
        assertEquals(List.of("FAILED:", "COMPLETED:" + expectedExit), repositoryExecutions(started));
        String config = Files.readString(server.baseDir().resolve("configuration/standalone.xml"));
        assertTrue(!config.contains(STORED_KEY), "the stored key is in standalone.xml in clear text");
    }

    /** The README's two steps: encrypt the key with the credential store, set the property. */
    private static void storeApiKeyInCredentialStore(String key) throws Exception {
        String created = server.cliCommand("/subsystem=elytron/expression=encryption:create-expression("
                + "resolver=llmbatch, clear-text=" + key + ")");
        Matcher expression = Pattern.compile("\\$\\{ENC::llmbatch:[^}]+}").matcher(created);
        assertTrue(expression.find(), created);
        server.cliCommand("/system-property=" + ProbeBatchlet.API_KEY_ENV + ":add(value=\""
                + expression.group() + "\")");
    }

    /** "BATCHSTATUS:EXITSTATUS" of each execution of the instance, read from JBeret's tables. */
    private static List<String> repositoryExecutions(JsonObject execution) throws SQLException {
        long instanceId = execution.getJsonNumber("jobInstanceId").longValue();
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT e.batchstatus, e.exitstatus FROM job_execution e"
                                + " JOIN job_instance i ON i.jobinstanceid = e.jobinstanceid"
                                + " WHERE e.jobinstanceid = ? AND i.jobname = ? ORDER BY e.jobexecutionid")) {
            query.setLong(1, instanceId);
            query.setString(2, ((JsonString) execution.get("jobName")).getString());
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    String exit = result.getString(2);
                    rows.add(result.getString(1) + ":" + (exit == null ? "" : exit));
                }
            }
        }
        return rows;
    }

    private static int instanceCount(String jobName) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM job_instance WHERE jobname = ?")) {
            query.setString(1, jobName);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    /** The job parameters of each execution of job {@code jobName} in JBeret's tables. */
    private static List<String> repositoryParametersOf(String jobName) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT coalesce(e.jobparameters, '') FROM job_execution e"
                                + " JOIN job_instance i ON i.jobinstanceid = e.jobinstanceid WHERE i.jobname = ?")) {
            query.setString(1, jobName);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
        }
        return rows;
    }

    private static Path configureScript() {
        return Path.of(System.getProperty("llmbatch.serverConfig", "server-config"), "configure.cli");
    }
}
