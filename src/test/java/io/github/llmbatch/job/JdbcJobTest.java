package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job in this JVM with its records in a PostgreSQL table and its results and rejects
 * written to tables, the datasources given as JDBC URLs (Java SE has no JNDI); and the instance
 * lock as a database lease.
 */
@RequiresPostgres
class JdbcJobTest {

    private static PostgresDatabase database;
    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() throws SQLException {
        database = PostgresDatabase.createFresh("llmbatch_jdbcjob");
        url = database.jdbcUrl() + "?user=" + database.user() + "&password=" + database.password();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE reviews (id TEXT, product TEXT, stars INTEGER)");
            s.execute("INSERT INTO reviews SELECT 'r-' || lpad(n::text, 3, '0'), 'product ' || n, n % 5 + 1"
                    + " FROM generate_series(120, 1, -1) n");
            s.execute("INSERT INTO reviews VALUES (NULL, 'no id', 3)"); // ordered last: row 121
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    private Properties params(String outputTable) {
        Properties p = new Properties();
        p.setProperty("inputDataSource", url);
        p.setProperty("inputTable", "reviews");
        p.setProperty("outputTable", outputTable);
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("baseUrl", "embedded");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Rate {{product}} ({{stars}} stars)");
        p.setProperty("maxRequestsPerFile", "50");
        p.setProperty("pollInterval", "200ms");
        return p;
    }

    @Test
    void rowsOfATableAreAnsweredIntoAnotherTableAndTheRejectIntoItsRejectsTable() throws Exception {
        JobExecution execution = JobRunner.run(params("review_results"));

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> rows = query("SELECT id || '|' || status || '|' || content || '|' || attempts || '|'"
                + " || (record->>'stars') FROM review_results ORDER BY id");
        assertEquals(120, rows.size());
        for (int n = 1; n <= 120; n++) {
            String id = String.format("r-%03d", n);
            assertEquals(id + "|succeeded|[emulated] " + id + ": Rate product " + n + " (" + (n % 5 + 1)
                    + " stars)|1|" + (n % 5 + 1), rows.get(n - 1));
        }
        assertEquals(List.of("121|null|{\"id\":null,\"product\":\"no id\",\"stars\":3}"),
                query("SELECT line || '|' || coalesce(id, 'null') || '|' || input FROM review_results_rejects"));
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        assertEquals(3, ledger.shards.size());
        assertTrue(!Files.exists(dir.resolve("work").resolve("review_results")));
        // an output table has no directory of its own: the run report is in the instance's work directory
        Path report = InstancePaths.of(dir.resolve("work"), ledger.jobInstanceId).dir()
                .resolve("review_results.report.html");
        assertEquals(report.toString(), ledger.merge.report);
        assertTrue(Files.readString(report).contains("data-figure=\"ledger.succeeded\" data-value=\"120\""));
    }

    @Test
    void theLeaseIsHeldWhileTheJobRunsAndASecondExecutionIsRefusedWhileAnotherHolderHasIt() throws Exception {
        Properties p = params("leased_results");
        p.setProperty("lockDataSource", url);
        p.setProperty("emulatorFaults", "inProgressMs=60000");
        JobOperator operator = BatchRuntime.getJobOperator();
        long first = operator.start("llm-batch", p);
        long instance = operator.getJobInstance(first).getInstanceId();
        String key = "llm-batch/" + instance;

        String holderWhileRunning = awaitLeaseHolder(key);
        operator.stop(first);
        JobExecution stopped = JobRunner.await(operator, first);
        List<String> afterStop = query("SELECT holder FROM llm_batch_lease WHERE instance_key = '" + key + "'");
        try (Connection c = database.connect(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO llm_batch_lease VALUES (?, 'execution 999 on node-b', CURRENT_TIMESTAMP + INTERVAL '5 minutes')")) {
            insert.setString(1, key);
            insert.executeUpdate();
        }
        Properties fast = new Properties();
        fast.setProperty("emulatorFaults", "");
        JobExecution refused = JobRunner.restart(first, fast);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM llm_batch_lease WHERE instance_key = '" + key + "'");
        }
        JobExecution done = JobRunner.restart(refused.getExecutionId(), fast);

        assertTrue(holderWhileRunning.startsWith("execution " + first + " on "), holderWhileRunning);
        assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus());
        assertEquals(List.of(), afterStop);
        assertEquals(BatchStatus.FAILED, refused.getBatchStatus());
        assertTrue(refused.getExitStatus().startsWith("REFUSED: job instance " + key + " is running elsewhere: the"
                + " lease in table llm_batch_lease is held by execution 999 on node-b until "), refused.getExitStatus());
        assertEquals(BatchStatus.COMPLETED, done.getBatchStatus(), done.getExitStatus());
        assertEquals(List.of("120"), query("SELECT count(*) FROM leased_results WHERE status = 'succeeded'"));
        assertEquals(List.of(), query("SELECT holder FROM llm_batch_lease WHERE instance_key = '" + key + "'"));
    }

    /**
     * The row is taken over while the job prepares or submits: its next ledger save reads the row
     * and fails the execution before anything more is saved or created. (Were it only waiting for
     * batches, with nothing to save, its heartbeat would find out within 10 s and stop it:
     * {@code STOPPED: lost the lease …}, see DatabaseLeaseTest.)
     */
    @Test
    void anExecutionWhoseLeaseIsTakenByAnotherNodeStopsAtItsNextSaveSayingSo() throws Exception {
        Properties p = params("stolen_results");
        p.setProperty("lockDataSource", url);
        p.setProperty("emulatorFaults", "inProgressMs=120000");
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = operator.start("llm-batch", p);
        String key = "llm-batch/" + operator.getJobInstance(id).getInstanceId();
        awaitLeaseHolder(key);

        // what another node does when this one's lease has expired: it takes the row over
        try (Connection c = database.connect(); PreparedStatement steal = c.prepareStatement(
                "UPDATE llm_batch_lease SET holder = 'execution 998 on node-c' WHERE instance_key = ?")) {
            steal.setString(1, key);
            steal.executeUpdate();
        }
        JobExecution stopped = JobRunner.await(operator, id);

        assertEquals(BatchStatus.FAILED, stopped.getBatchStatus());
        assertEquals("FAILED: lost the lease of job instance " + key + ": execution 998 on node-c holds it now;"
                + " this execution stops before saving or creating anything more", stopped.getExitStatus());
        assertEquals(List.of("execution 998 on node-c"),
                query("SELECT holder FROM llm_batch_lease WHERE instance_key = '" + key + "'"));
    }

    private static String awaitLeaseHolder(String key) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> holder = List.of();
            try {
                holder = query("SELECT holder FROM llm_batch_lease WHERE instance_key = '" + key + "'");
            } catch (SQLException e) {
                // the table is created by the job's first lease
            }
            if (!holder.isEmpty()) {
                return holder.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no lease for " + key);
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
