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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        DatabaseLease first = DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 1 on node-a", LONG, null, NOTHING);

        InstanceLock.InstanceBusyException refused = assertThrows(InstanceLock.InstanceBusyException.class,
                () -> DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 2 on node-b", LONG, null, NOTHING));
        DatabaseLease otherInstance = DatabaseLease.acquire(dataSource, "llm-batch/2", "execution 3 on node-b", LONG,
                null, NOTHING);
        first.close();
        DatabaseLease second = DatabaseLease.acquire(dataSource, "llm-batch/1", "execution 2 on node-b", LONG, null, NOTHING);

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
            DatabaseLease.acquire(dataSource, "llm-batch/10", "warm-up", LONG, null, NOTHING).close(); // creates the table
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO llm_batch_lease VALUES"
                    + " ('llm-batch/10', 'execution 5 on a dead node', CURRENT_TIMESTAMP - INTERVAL '1 second')")) {
                insert.executeUpdate();
            }
        }

        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/10", "execution 6 on node-b", LONG, null, NOTHING);

        assertEquals("execution 6 on node-b", holder("llm-batch/10"));
        lease.close();
    }

    /** Renewals are called by the test itself: the scheduled heartbeat comes once an hour. */
    private static final DatabaseLease.Terms SHORT = new DatabaseLease.Terms(Duration.ofMillis(2500), Duration.ofHours(1));

    @Test
    void theHeartbeatKeepsAShortLeaseAliveLongAfterItsFirstExpiry() throws Exception {
        SteppedClock clock = new SteppedClock(Instant.now());
        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/20", "execution 7", SHORT, clock, null,
                NOTHING);

        clock.advance(Duration.ofSeconds(2));
        lease.renew();
        clock.advance(Duration.ofSeconds(2)); // 4 s: the first term ended at 2.5 s, the renewed one ends at 4.5 s

        assertThrows(InstanceLock.InstanceBusyException.class,
                () -> DatabaseLease.acquire(dataSource, "llm-batch/20", "execution 8", SHORT, clock, null, NOTHING));
        assertFalse(lease.isLost());
        lease.check();

        clock.advance(Duration.ofSeconds(1)); // 5 s: no renewal since 2 s, so it ended at 4.5 s
        DatabaseLease next = DatabaseLease.acquire(dataSource, "llm-batch/20", "execution 8", SHORT, clock, null,
                NOTHING);
        assertEquals("execution 8", holder("llm-batch/20"));
        next.close();
        lease.close();
    }

    @Test
    void aHolderWhoseLeaseWasTakenIsToldAtItsNextRenewal() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/30", "execution 9", SHORT,
                new SteppedClock(Instant.now()), null, reasons::add);
        steal("llm-batch/30", "execution 10");

        lease.renew();

        assertTrue(lease.isLost());
        assertEquals(List.of("lost the lease of job instance llm-batch/30: another execution has taken it"), reasons);
        lease.close(); // deletes nothing: the row is the other holder's
        assertEquals("execution 10", holder("llm-batch/30"));
    }

    @Test
    void theFenceReadsTheRowSoATakenLeaseStopsTheHolderBeforeItsHeartbeatKnows() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/50", "execution 11", SHORT,
                new SteppedClock(Instant.now()), null, reasons::add);
        lease.check();

        steal("llm-batch/50", "execution 12 on node-b");

        LockLostException lost = assertThrows(LockLostException.class, lease::check);
        assertEquals("lost the lease of job instance llm-batch/50: execution 12 on node-b holds it now; this"
                + " execution stops before saving or creating anything more", lost.getMessage());
        assertTrue(lease.isLost());
        assertEquals(List.of(), reasons, "the failed check is the execution's exit, not a stop request");
        assertThrows(LockLostException.class, lease::check, "lost for good");
        lease.close();
        assertEquals("execution 12 on node-b", holder("llm-batch/50"));
    }

    @Test
    void theFenceRefusesALeaseThatExpiredUnrenewedThoughNobodyTookItYet() throws Exception {
        SteppedClock clock = new SteppedClock(Instant.now());
        DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/60", "execution 13", SHORT, clock, null,
                NOTHING);

        clock.advance(Duration.ofSeconds(3));

        LockLostException lost = assertThrows(LockLostException.class, lease::check);
        assertTrue(lost.getMessage().startsWith("lost the lease of job instance llm-batch/60: it expired at "),
                lost.getMessage());
        assertTrue(lost.getMessage().endsWith(" without being renewed; this execution stops before saving or"
                + " creating anything more"), lost.getMessage());
        lease.close();
    }

    @Test
    void theHeartbeatRunsOnTheGivenExecutorWhichOutlivesTheLease() throws Exception {
        CountDownLatch renewals = new CountDownLatch(2);
        ScheduledThreadPoolExecutor container = new ScheduledThreadPoolExecutor(1) {
            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                renewals.countDown();
            }
        };
        container.setRemoveOnCancelPolicy(true); // so the queue shows whether the heartbeat was cancelled
        try {
            DatabaseLease lease = DatabaseLease.acquire(dataSource, "llm-batch/70", "execution 14",
                    new DatabaseLease.Terms(Duration.ofMinutes(5), Duration.ofMillis(20)), container, NOTHING);
            String firstExpiry = expiry("llm-batch/70");

            assertTrue(renewals.await(60, TimeUnit.SECONDS), "renewals ran on the given executor");
            assertNotEquals(firstExpiry, expiry("llm-batch/70"), "and extended the lease");
            lease.close();

            assertFalse(container.isShutdown(), "the container's executor is not the lease's to shut down");
            assertEquals(null, holder("llm-batch/70"));
            assertEquals(0, container.getQueue().size(), "the heartbeat is cancelled");
        } finally {
            container.shutdownNow();
        }
    }

    private static void steal(String key, String otherHolder) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement steal = c.prepareStatement(
                        "UPDATE llm_batch_lease SET holder = ? WHERE instance_key = ?")) {
            steal.setString(1, otherHolder);
            steal.setString(2, key);
            assertEquals(1, steal.executeUpdate());
        }
    }

    private static String expiry(String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement(
                        "SELECT expires_at FROM llm_batch_lease WHERE instance_key = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getObject(1, java.time.OffsetDateTime.class).toString() : null;
            }
        }
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
                    return DatabaseLease.acquire(dataSource, "llm-batch/40", holder, LONG, null, NOTHING);
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
