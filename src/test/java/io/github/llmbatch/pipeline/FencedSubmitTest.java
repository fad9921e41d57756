package io.github.llmbatch.pipeline;

import io.github.llmbatch.TestDataSources;
import io.github.llmbatch.ledger.DatabaseLease;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LockLostException;
import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Submit under a database lease (the local PostgreSQL) that another execution takes over while
 * this one's heartbeat has not noticed yet: the next write-ahead save reads the lease row and
 * stops the execution before the upload or create it announces.
 */
@RequiresPostgres
class FencedSubmitTest {

    private static PostgresDatabase database;
    private static DataSource dataSource;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresDatabase.createFresh("llmbatch_fence");
        dataSource = TestDataSources.postgres(database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void anExecutionWhoseLeaseWasTakenUploadsNothing() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3);
                DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 1", LONG, null,
                        reason -> { })) {
            RunContext run = fencedBy(e, lease);
            Ledger.Attempt a = e.firstAttempt(1);
            byte[] before = Files.readAllBytes(e.paths.ledgerStore().file());
            takeOver("llm-batch/1", "execution 2 on node-b");

            LockLostException lost = assertThrows(LockLostException.class, () -> new AttemptSubmitter(run).submit(a));

            assertEquals("lost the lease of job instance llm-batch/1: execution 2 on node-b holds it now; this"
                    + " execution stops before saving or creating anything more", lost.getMessage());
            assertEquals(0, e.server.stats().filesUploaded());
            assertEquals(0, e.server.stats().batchesCreated());
            assertArrayEquals(before, Files.readAllBytes(e.paths.ledgerStore().file()), "the ledger is untouched");
        }
    }

    @Test
    void anExecutionWhoseLeaseWasTakenAfterItsUploadCreatesNoBatch() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 5, 100, 3);
                DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/2", "execution 3", LONG, null,
                        reason -> { })) {
            RunContext run = fencedBy(e, lease);
            Ledger.Attempt a = e.firstAttempt(1);
            a.uploadStartedAt = run.now();
            a.fileId = e.provider.upload(Path.of(a.requestsFile), AttemptSubmitter.remoteFileName(a)).id();
            run.save(); // still held: saved
            takeOver("llm-batch/2", "execution 4 on node-b");

            assertThrows(LockLostException.class, () -> new AttemptSubmitter(run).submit(a));

            assertEquals(1, e.server.stats().filesUploaded());
            assertEquals(0, e.server.stats().batchesCreated());
            Ledger.Attempt saved = e.saved().attempt(1, 1).orElseThrow();
            assertEquals(a.fileId, saved.fileId);
            assertEquals(null, saved.createStartedAt, "no create intent either");
            assertTrue(lease.isLost());
        }
    }

    /** Long terms: the heartbeat does not run during the test, only the fence reads the row. */
    private static final DatabaseLease.Terms LONG = new DatabaseLease.Terms(java.time.Duration.ofMinutes(5),
            java.time.Duration.ofMinutes(5));

    private static RunContext fencedBy(EmulatedRun e, DatabaseLease lease) {
        RunContext r = e.run;
        return new RunContext(r.paths(), r.ledger(), r.store(), lease, r.provider(), r.profile(), r.endpoint(), r.model(),
                r.pollInterval(), r.maxAttempts(), r.clock());
    }

    private static void takeOver(String key, String otherHolder) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "UPDATE llm_batch_lease SET holder = ? WHERE instance_key = ?")) {
            update.setString(1, otherHolder);
            update.setString(2, key);
            assertEquals(1, update.executeUpdate());
        }
    }
}
