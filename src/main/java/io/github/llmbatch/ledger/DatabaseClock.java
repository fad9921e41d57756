package io.github.llmbatch.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The database server's clock, which every node sharing the database reads alike: leases are
 * timed by it so that a node whose own clock runs ahead cannot take a live lease for expired.
 * Each reading is a query; it is always in UTC.
 */
final class DatabaseClock extends Clock {

    private final DataSource dataSource;

    DatabaseClock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Instant instant() {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement();
                ResultSet now = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            now.next();
            return now.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's clock: " + e.getMessage(), e);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the database clock is read in UTC only");
        }
        return this;
    }
}
