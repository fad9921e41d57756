package io.github.llmbatch.job;

import io.github.llmbatch.emulator.EmbeddedEmulator;
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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The cancel where the instance lock is a database lease (as in a server): the cancel job waits for the
 * lease the running execution holds, the execution cancels its batches and gives the lease back, and the
 * cancel job takes it and finds nothing left to cancel.
 */
@RequiresPostgres
class CancelLeaseJobTest {

    private static PostgresDatabase database;
    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresDatabase.createFresh("llmbatch_cancellease");
        url = database.jdbcUrl() + "?user=" + database.user() + "&password=" + database.password();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void theCancelWaitsForTheLeaseOfTheRunningExecutionWhichCancelsItsBatches() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 20);
        Properties p = params(dir, input);
        String faults = "inProgressMs=60000;cancellingMs=198";
        p.setProperty("emulatorFaults", faults);
        p.setProperty("maxRequestsPerFile", "10");
        p.setProperty("lockDataSource", url);
        JobOperator operator = BatchRuntime.getJobOperator();
        long run = operator.start("llm-batch", p);
        long instance = operator.getJobInstance(run).getInstanceId();
        InstancePaths paths = InstancePaths.of(dir.resolve("work"), instance);
        awaitBatches(paths, 2);

        Properties c = new Properties();
        c.setProperty("execution", Long.toString(run));
        JobExecution cancel = JobRunner.await(operator, operator.start("llm-batch-cancel", c));

        assertEquals(BatchStatus.COMPLETED, cancel.getBatchStatus(), cancel.getExitStatus());
        assertEquals("CANCELLED: 2 batches cancelled, 0 already finished; execution " + run + " STOPPED",
                cancel.getExitStatus());
        assertEquals("CANCELLED: 2 batches cancelled, 0 already finished",
                JobRunner.await(operator, run).getExitStatus());
        assertEquals(Map.of("cancelled", 2), CancelJobTest.statuses(EmbeddedEmulator.shared(faults)));
        assertFalse(leaseHeld("llm-batch/" + instance), "the lease is given back");
    }

    private static boolean leaseHeld(String key) throws SQLException {
        try (Connection c = database.connect(); PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM llm_batch_lease WHERE instance_key = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }

    private static void awaitBatches(InstancePaths paths, int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            try {
                Ledger ledger = paths.ledgerStore().read().orElse(null);
                if (ledger != null && ledger.attempts.stream().filter(Ledger.Attempt::created).count() >= count) {
                    return;
                }
            } catch (RuntimeException e) {
                // read while being replaced: look again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + count + " batches in 60 s");
    }
}
