package io.github.llmbatch.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The instance lock of a server: a row in table {@value #TABLE} of a database that every node
 * sharing the job repository reaches, so no two nodes run one job instance at once. It is taken
 * with one atomic statement (update the row if its lease has expired, else insert it; the
 * primary key lets only one insert win), renewed by a heartbeat and deleted on {@link #close()}.
 * A server that dies stops renewing it, so after a crash the lease expires and a restart can
 * take it. Times are the database's clock ({@link DatabaseClock}), so the nodes' clocks do not
 * matter.
 *
 * <p>The heartbeat runs on the executor it is given (in a server, the container's managed
 * scheduled executor, whose threads the server knows about), or on a thread of its own.
 * {@link #check()} fences: it reads the row, so an execution whose heartbeat has not noticed
 * yet that another took over still stops before it saves or creates anything.
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
public final class DatabaseLease implements LockFence, AutoCloseable {

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
    private final Clock clock;
    private final Consumer<String> onLost;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile long renewedNanos;
    private volatile boolean closed;
    private volatile String lostReason;

    private DatabaseLease(DataSource dataSource, String key, String holder, Terms terms, Clock clock,
            ScheduledExecutorService executor, Consumer<String> onLost) {
        this.dataSource = dataSource;
        this.key = key;
        this.holder = holder;
        this.terms = terms;
        this.clock = clock;
        this.onLost = onLost;
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "llm-batch-lease " + key);
            thread.setDaemon(true);
            return thread;
        });
        this.renewedNanos = System.nanoTime();
    }

    /**
     * Takes the lease and starts renewing it.
     *
     * @param holder   who takes it, for the message another execution gets (no secrets)
     * @param executor runs the heartbeat (it is not shut down on close); null: a thread of the lease's own
     * @param onLost   called once, from the heartbeat, with the reason, if the lease is found taken
     *                 by another holder or cannot be renewed for longer than it lasts
     * @throws InstanceLock.InstanceBusyException when a live holder has it
     * @throws IllegalStateException              when the database cannot be reached
     */
    public static DatabaseLease acquire(DataSource dataSource, String key, String holder, Terms terms,
            ScheduledExecutorService executor, Consumer<String> onLost) {
        return acquire(dataSource, key, holder, terms, new DatabaseClock(dataSource), executor, onLost);
    }

    /** As above, timed by {@code clock} instead of the database's clock. */
    static DatabaseLease acquire(DataSource dataSource, String key, String holder, Terms terms, Clock clock,
            ScheduledExecutorService executor, Consumer<String> onLost) {
        try {
            createTableIfMissing(dataSource);
            if (!tryTake(dataSource, key, holder, terms, clock.instant())) {
                throw new InstanceLock.InstanceBusyException(busyMessage(dataSource, key, clock.instant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the lease of job instance " + key + " in table " + TABLE
                    + ": " + e.getMessage(), e);
        }
        DatabaseLease lease = new DatabaseLease(dataSource, key, holder, terms, clock, executor, onLost);
        long every = terms.renewEvery().toMillis();
        lease.heartbeat = lease.executor.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    /** Who holds the lease of {@code key} and until when, or empty when nobody does at {@code now}. */
    private static Optional<String> holderOf(DataSource dataSource, String key, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT holder, expires_at FROM " + TABLE
                        + " WHERE instance_key = ? AND expires_at >= ?")) {
            query.setString(1, key);
            query.setObject(2, utc(now));
            try (ResultSet row = query.executeQuery()) {
                return row.next()
                        ? Optional.of(row.getString(1) + " until "
                                + row.getObject(2, OffsetDateTime.class))
                        : Optional.empty();
            }
        }
    }

    private static void createTableIfMissing(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            MissingTable.create(c, TABLE, "CREATE TABLE " + TABLE + " (instance_key VARCHAR(200) PRIMARY KEY,"
                    + " holder VARCHAR(400) NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        } catch (SQLException e) {
            // two nodes creating it at the same moment: one wins, the other finds it there
            if (!isConstraintViolation(e) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static boolean tryTake(DataSource dataSource, String key, String holder, Terms terms, Instant now)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            OffsetDateTime until = utc(now.plus(terms.length()));
            try (PreparedStatement takeExpired = c.prepareStatement("UPDATE " + TABLE
                    + " SET holder = ?, expires_at = ? WHERE instance_key = ? AND expires_at < ?")) {
                takeExpired.setString(1, holder);
                takeExpired.setObject(2, until);
                takeExpired.setString(3, key);
                takeExpired.setObject(4, utc(now));
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

    private static String busyMessage(DataSource dataSource, String key, Instant now) throws SQLException {
        String held = holderOf(dataSource, key, now).orElse("another execution that just took it");
        return "job instance " + key + " is running elsewhere: the lease in table " + TABLE + " is held by "
                + held + "; stop that execution first, or, if its server died, restart once the lease has expired";
    }

    /** One heartbeat: extends the lease if it is still this holder's. */
    synchronized void renew() {
        if (closed) {
            return;
        }
        try {
            OffsetDateTime until = utc(clock.instant().plus(terms.length()));
            try (Connection c = dataSource.getConnection();
                    PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
                            + " SET expires_at = ? WHERE instance_key = ? AND holder = ?")) {
                update.setObject(1, until);
                update.setString(2, key);
                update.setString(3, holder);
                if (update.executeUpdate() == 1) {
                    renewedNanos = System.nanoTime();
                    return;
                }
            }
            lost("another execution has taken it", true);
        } catch (SQLException | RuntimeException e) {
            if (System.nanoTime() - renewedNanos > terms.length().toNanos()) {
                lost("it could not be renewed for " + terms.length().toSeconds() + " s: " + e.getMessage(), true);
            } else {
                LOG.log(Level.WARNING, "cannot renew the lease of job instance " + key + " (will retry): "
                        + e.getMessage());
            }
        }
    }

    /**
     * Reads the lease's row: it must still name this holder and not have expired.
     *
     * @throws LockLostException when it does not, or when the database cannot tell
     */
    @Override
    public void check() {
        String lost = lostReason;
        if (lost != null) {
            throw new LockLostException(lost + "; this execution stops before saving or creating anything more");
        }
        String why;
        try {
            Instant now = clock.instant();
            why = whyNotHeld(now);
        } catch (SQLException | RuntimeException e) {
            throw new LockLostException("cannot tell whether this execution still holds the lease of job instance "
                    + key + " (" + e.getMessage() + "); it stops before saving or creating anything more", e);
        }
        if (why == null) {
            return;
        }
        lost(why, false);
        throw new LockLostException(lostReason + "; this execution stops before saving or creating anything more");
    }

    /** Null when the row names this holder and has not expired at {@code now}, else why not. */
    private String whyNotHeld(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement(
                        "SELECT holder, expires_at FROM " + TABLE + " WHERE instance_key = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "its row in table " + TABLE + " is gone";
                }
                if (!holder.equals(row.getString(1))) {
                    return row.getString(1) + " holds it now";
                }
                OffsetDateTime expires = row.getObject(2, OffsetDateTime.class);
                return expires.toInstant().isBefore(now) ? "it expired at " + expires + " without being renewed" : null;
            }
        }
    }

    /** Gives the lease up; {@code onLost} is told when the heartbeat found it (a failed check throws instead). */
    private void lost(String why, boolean tell) {
        synchronized (this) {
            if (closed || lostReason != null) {
                return;
            }
            lostReason = "lost the lease of job instance " + key + ": " + why;
        }
        stopHeartbeat();
        LOG.severe(lostReason + " (holder " + holder + ")");
        if (tell) {
            onLost.accept(lostReason);
        }
    }

    /** Whether the lease was found lost (see {@code onLost} and {@link #check()}). */
    public boolean isLost() {
        return lostReason != null;
    }

    /** Stops renewing and deletes the lease row if it is still this holder's. */
    @Override
    public void close() {
        synchronized (this) { // a renewal in flight ends before the delete
            closed = true;
        }
        stopHeartbeat();
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

    private void stopHeartbeat() {
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        if (ownsExecutor) {
            executor.shutdown();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }
}
