package io.github.llmbatch.cli;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * H2's driver with one difference: opening a connection that fails because another process is
 * opening the same database file at that moment is tried again.
 *
 * <p>The CLI's job repository is an H2 file in automatic mixed mode: the first process to open it
 * owns the file and serves it over TCP to the others. When several {@code llm-batch} processes
 * open it at the same moment, or take over from an owner that just exited, H2 lets one win and
 * fails the rest with "Lock file recently modified", "Database may be already in use" or a
 * refused connection to an owner that has just gone. JBeret opens a connection for every
 * repository call, so such a failure could hit a start (leaving its execution STARTING) or a
 * running job's status update. Waiting a moment and connecting again reaches the winner.
 */
final class H2RepositoryDriver implements Driver {

    /** H2's ErrorCode.ERROR_OPENING_DATABASE_1, DATABASE_ALREADY_OPEN_1 and CONNECTION_BROKEN_1. */
    private static final int ERROR_OPENING_DATABASE = 8000;
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int CONNECTION_BROKEN = 90067;
    /** What H2's FileLock says when another process changed the lock file while this one read it. */
    private static final List<String> LOCK_FILE_RACES = List.of("Lock file recently modified",
            "Another process was faster", "Concurrent update", "Locked by another process");
    private static final long GIVE_UP_AFTER_NANOS = 30_000_000_000L;

    private final org.h2.Driver h2 = new org.h2.Driver();

    /** Replaces H2's own registration, so that every {@code jdbc:h2:} URL comes here. */
    static void install() {
        try {
            org.h2.Driver.unload();
            DriverManager.registerDriver(new H2RepositoryDriver());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the H2 driver", e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        long deadline = System.nanoTime() + GIVE_UP_AFTER_NANOS;
        while (true) {
            try {
                return h2.connect(url, info);
            } catch (SQLException e) {
                if (!isContention(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    /**
     * Besides the lock file itself: the lock file names the owner's TCP server, and an owner that
     * exits between that read and the connection leaves "Connection refused" (connection broken);
     * the next attempt finds the file free or a new owner.
     */
    static boolean isContention(SQLException e) {
        if (e.getErrorCode() == DATABASE_ALREADY_OPEN || e.getErrorCode() == CONNECTION_BROKEN) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return e.getErrorCode() == ERROR_OPENING_DATABASE && LOCK_FILE_RACES.stream().anyMatch(message::contains);
    }

    // random, so that processes that collided once do not collide again in step
    private static void pause() throws SQLException {
        try {
            Thread.sleep(100 + ThreadLocalRandom.current().nextInt(400));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to open the job repository", e);
        }
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return h2.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return h2.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return h2.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return h2.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return h2.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return h2.getParentLogger();
    }
}
