package io.github.llmbatch.ledger;

import io.github.llmbatch.TestDataSources;
import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lease against the local PostgreSQL, as two nodes sharing it would use it. */
@RequiresPostgres
class DatabaseLeaseTest {

    private static final DatabaseLease.Terms LONG = new DatabaseLease.Terms(Duration.ofMinutes(5), Duration.ofMinutes(1));
    private static final Consumer<String> NOTHING = reason -> { };

    private static PostgresDatabase database;
    private static DataSource dataSource;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresDatabase.createFresh("llmbatch_lease");
        dataSource = TestDataSources.postgres(database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void aSecondHolderIsRefusedWithAMessageNamingTheFirstUntilItReleases() throws Exception {
        DatabaseLease first = DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 1 on node-a", LONG, NOTHING);

        InstanceLock.InstanceBusyException refused = assertThrows(InstanceLock.InstanceBusyException.class,
                () -> DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 2 on node-b", LONG, NOTHING));
        DatabaseLease otherInstance = DatabaseLease.acquire(dataSource, "llm-batch/2", "execution 3 on node-b", LONG,
                NOTHING);
        first.close();
        DatabaseLease second = DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 2 on node-b", LONG, NOTHING);

        assertTrue(refused.getMessage().startsWith("job instance llm-batch/1 is running elsewhere: the lease in"
                + " table llm_batch_lease is held by execution 1 on node-a until "), refused.getMessage());
        assertEquals("execution 2 on node-b", holder("llm-batch/1"));
        second.close();
        otherInstance.close();
        assertEquals(null, holder("llm-batch/1"));
        assertEquals(null, holder("llm-batch/2"));
    }

    @Test
    void anExpiredLeaseOfADeadHolderIsTakenOver() throws Exception {
        // a holder that died: its row stays, nobody renews it
        try (Connection c = dataSource.getConnection()) {
            DatabaseLease.acquire(dataSource, "llm-batch/10", "warm-up", LONG, NOTHING).close(); // creates the table
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO llm_batch_lease VALUES"
                    + " ('llm-batch/10', 'execution 5 on a dead node', CURRENT_TIMESTAMP - INTERVAL '1 second')")) {
                insert.executeUpdate();
            }
        }

        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/10", "execution 6 on node-b", LONG, NOTHING);

        assertEquals("execution 6 on node-b", holder("llm-batch/10"));
        lease.close();
    }

    @Test
    void theHeartbeatKeepsAShortLeaseAliveLongAfterItsFirstExpiry() throws Exception {
        DatabaseLease.Terms shortTerms = new DatabaseLease.Terms(Duration.ofMillis(2500), Duration.ofMillis(200));
        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/20", "execution 7", shortTerms, NOTHING);

        Thread.sleep(5000);

        assertThrows(InstanceLock.InstanceBusyException.class,
                () -> DatabaseLease.acquire(dataSource, "llm-batch/20", "execution 8", shortTerms, NOTHING));
        assertFalse(lease.isLost());
        lease.close();
    }

    @Test
    void aHolderWhoseLeaseWasTakenIsToldAtItsNextRenewal() throws Exception {
        DatabaseLease.Terms shortTerms = new DatabaseLease.Terms(Duration.ofSeconds(30), Duration.ofMillis(100));
        CountDownLatch lost = new CountDownLatch(1);
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/30", "execution 9", shortTerms,
                reason -> {
                    reasons.add(reason);
                    lost.countDown();
                });

        try (Connection c = dataSource.getConnection();
                PreparedStatement steal = c.prepareStatement(
                        "UPDATE llm_batch_lease SET holder = 'execution 10' WHERE instance_key = 'llm-batch/30'")) {
            steal.executeUpdate();
        }

        assertTrue(lost.await(30, TimeUnit.SECONDS));
        assertTrue(lease.isLost());
        assertEquals(List.of("lost the lease of job instance llm-batch/30: another execution has taken it"), reasons);
        lease.close(); // deletes nothing: the row is the other holder's
        assertEquals("execution 10", holder("llm-batch/30"));
    }

    @Test
    void ofManyNodesRacingForOneInstanceExactlyOneWins() throws Exception {
        int nodes = 8;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<DatabaseLease>> attempts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String holder = "execution " + (100 + i);
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    return DatabaseLease.acquire(dataSource, "llm-batch/40", holder, LONG, NOTHING);
                } catch (InstanceLock.InstanceBusyException e) {
                    return null;
                }
            }));
        }
        start.countDown();
        List<DatabaseLease> won = new ArrayList<>();
        for (Future<DatabaseLease> attempt : attempts) {
            DatabaseLease lease = attempt.get(60, TimeUnit.SECONDS);
            if (lease != null) {
                won.add(lease);
            }
        }
        pool.shutdown();

        assertEquals(1, won.size());
        won.forEach(DatabaseLease::close);
    }

    private static String holder(String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement(
                        "SELECT holder FROM llm_batch_lease WHERE instance_key = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
