package io.github.llmbatch.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The instance lock of a server: a row in table {@value #TABLE} of a database that every node
 * sharing the job repository reaches, so no two nodes run one job instance at once. It is taken
 * with one atomic statement (update the row if its lease has expired, else insert it; the
 * primary key lets only one insert win), renewed by a heartbeat thread and deleted on
 * {@link #close()}. A server that dies stops renewing it, so after a crash the lease expires
 * and a restart can take it. Times are the database's clock, so the nodes' clocks do not matter.
 *
 * <pre>
 * CREATE TABLE llm_batch_lease (
 *   instance_key VARCHAR(200) PRIMARY KEY,            -- job name / job instance id
 *   holder       VARCHAR(400) NOT NULL,               -- execution id, JVM and host
 *   expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
 * )
 * </pre>
 * (created when missing).
 */
public final class DatabaseLease implements AutoCloseable {

    public static final String TABLE = "llm_batch_lease";

    private static final Logger LOG = Logger.getLogger(DatabaseLease.class.getName());

    /**
     * @param length     how long a lease lasts without renewal: how long a restart after a crash waits
     * @param renewEvery how often the holder renews it; well below {@code length}
     */
    public record Terms(Duration length, Duration renewEvery) {
        public static final Terms DEFAULT = new Terms(Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    private final DataSource dataSource;
    private final String key;
    private final String holder;
    private final Terms terms;
    private final Consumer<String> onLost;
    private final ScheduledExecutorService heartbeat;
    private volatile long renewedNanos;
    private volatile boolean closed;
    private volatile boolean lost;

    private DatabaseLease(DataSource dataSource, String key, String holder, Terms terms, Consumer<String> onLost) {
        this.dataSource = dataSource;
        this.key = key;
        this.holder = holder;
        this.terms = terms;
        this.onLost = onLost;
        this.renewedNanos = System.nanoTime();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "llm-batch-lease " + key);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes the lease and starts renewing it.
     *
     * @param holder who takes it, for the message another execution gets (no secrets)
     * @param onLost called once, from the heartbeat thread, with the reason, if the lease is found
     *               taken by another holder or cannot be renewed for longer than it lasts
     * @throws InstanceLock.InstanceBusyException when a live holder has it
     * @throws IllegalStateException              when the database cannot be reached
     */
    public static DatabaseLease acquire(DataSource dataSource, String key, String holder, Terms terms,
            Consumer<String> onLost) {
        try {
            createTableIfMissing(dataSource);
            if (!tryTake(dataSource, key, holder, terms)) {
                throw new InstanceLock.InstanceBusyException(busyMessage(dataSource, key));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the lease of job instance " + key + " in table " + TABLE
                    + ": " + e.getMessage(), e);
        }
        DatabaseLease lease = new DatabaseLease(dataSource, key, holder, terms, onLost);
        long every = terms.renewEvery().toMillis();
        lease.heartbeat.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    /** Who holds the lease of {@code key} and until when, or empty when nobody does. */
    public static Optional<String> holderOf(DataSource dataSource, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT holder, expires_at FROM " + TABLE
                        + " WHERE instance_key = ? AND expires_at >= CURRENT_TIMESTAMP")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                return row.next()
                        ? Optional.of(row.getString(1) + " until "
                                + row.getObject(2, OffsetDateTime.class))
                        : Optional.empty();
            }
        }
    }

    private static void createTableIfMissing(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (instance_key VARCHAR(200) PRIMARY KEY,"
                    + " holder VARCHAR(400) NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        } catch (SQLException e) {
            // two nodes creating it at the same moment: one wins, the other finds it there
            if (!isConstraintViolation(e) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static boolean tryTake(DataSource dataSource, String key, String holder, Terms terms)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            OffsetDateTime now = databaseNow(c);
            OffsetDateTime until = now.plus(terms.length());
            try (PreparedStatement takeExpired = c.prepareStatement("UPDATE " + TABLE
                    + " SET holder = ?, expires_at = ? WHERE instance_key = ? AND expires_at < ?")) {
                takeExpired.setString(1, holder);
                takeExpired.setObject(2, until);
                takeExpired.setString(3, key);
                takeExpired.setObject(4, now);
                if (takeExpired.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                    + " (instance_key, holder, expires_at) VALUES (?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, holder);
                insert.setObject(3, until);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (isConstraintViolation(e)) {
                    return false; // a live row is there, or another node inserted first
                }
                throw e;
            }
        }
    }

    private static String busyMessage(DataSource dataSource, String key) throws SQLException {
        String held = holderOf(dataSource, key).orElse("another execution that just took it");
        return "job instance " + key + " is running elsewhere: the lease in table " + TABLE + " is held by "
                + held + "; stop that execution first, or, if its server died, restart once the lease has expired";
    }

    private void renew() {
        if (closed) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            OffsetDateTime until = databaseNow(c).plus(terms.length());
            try (PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
                    + " SET expires_at = ? WHERE instance_key = ? AND holder = ?")) {
                update.setObject(1, until);
                update.setString(2, key);
                update.setString(3, holder);
                if (update.executeUpdate() == 1) {
                    renewedNanos = System.nanoTime();
                    return;
                }
            }
            lost("another execution has taken it");
        } catch (SQLException | RuntimeException e) {
            if (System.nanoTime() - renewedNanos > terms.length().toNanos()) {
                lost("it could not be renewed for " + terms.length().toSeconds() + " s: " + e.getMessage());
            } else {
                LOG.log(Level.WARNING, "cannot renew the lease of job instance " + key + " (will retry): "
                        + e.getMessage());
            }
        }
    }

    private void lost(String why) {
        if (closed) {
            return;
        }
        closed = true;
        lost = true;
        heartbeat.shutdown();
        String reason = "lost the lease of job instance " + key + ": " + why;
        LOG.severe(reason + " (holder " + holder + ")");
        onLost.accept(reason);
    }

    /** Whether the heartbeat has given the lease up (see {@code onLost}). */
    public boolean isLost() {
        return lost;
    }

    /** Stops renewing and deletes the lease row if it is still this holder's. */
    @Override
    public void close() {
        closed = true;
        heartbeat.shutdown();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS); // a renewal in flight ends before the delete
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM " + TABLE + " WHERE instance_key = ? AND holder = ?")) {
            delete.setString(1, key);
            delete.setString(2, holder);
            delete.executeUpdate();
        } catch (SQLException e) {
            // it expires on its own
            LOG.log(Level.WARNING, "cannot release the lease of job instance " + key + ": " + e.getMessage());
        }
    }

    private static OffsetDateTime databaseNow(Connection c) throws SQLException {
        try (Statement statement = c.createStatement();
                ResultSet now = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            now.next();
            return now.getObject(1, OffsetDateTime.class);
        }
    }

    private static boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }
}
