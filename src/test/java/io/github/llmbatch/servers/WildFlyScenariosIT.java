package io.github.llmbatch.servers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;

/**
 * The scenarios on WildFly 39 (JBeret) configured by server-config/configure.cli: job
 * repository in PostgreSQL, users in the application realm, the provider key in the server's
 * environment. That configuration makes the instance lock a lease row in table
 * {@code llm_batch_lease} of the same database, so the lock taken "elsewhere" is such a row,
 * and the restart after the crash first waits for the dead server's lease to expire, as an
 * operator's would be refused until then. (WildFlyJdbcJobIT covers tables in and out, the
 * lease's own messages and the cancel.)
 */
@RequiresPostgres
class WildFlyScenariosIT extends ServerScenarios {

    /** Its own ports (HTTP 18480, management 20390): never those of another WildFly IT's server. */
    private static final int PORT_OFFSET = Integer.getInteger("wildfly.scenarios.portOffset", 10400);
    /** The production lease lasts 30 s past its last renewal; a reboot takes part of that. */
    private static final Duration LEASE_WAIT = Duration.ofMinutes(2);

    @Override
    protected AppServer newServer(PostgresDatabase database) throws Exception {
        return new WildFlyAppServer("scenarios-it", PORT_OFFSET, Map.of(
                        "LLMBATCH_DB_URL", database.jdbcUrl(),
                        "LLMBATCH_DB_USER", database.user(),
                        "LLMBATCH_DB_PASSWORD", database.password(),
                        "OPENAI_API_KEY", API_KEY))
                .user(OPERATOR, OPERATOR_PASSWORD, "llm-batch-operator");
    }

    /** JBeret leaves it STARTED; restarting it marks it FAILED and resumes the instance. */
    @Override
    protected String crashedExecutionStatusAfterReboot() {
        return "STARTED";
    }

    /** A live lease of another node, as a second WildFly sharing the job repository would hold it. */
    @Override
    protected AutoCloseable holdInstanceLockElsewhere(long instance) throws Exception {
        String key = "llm-batch/" + instance;
        update("INSERT INTO llm_batch_lease (instance_key, holder, expires_at)"
                + " VALUES (?, 'execution 999 on node-b', CURRENT_TIMESTAMP + INTERVAL '5 minutes')", key);
        return () -> update("DELETE FROM llm_batch_lease WHERE instance_key = ?", key);
    }

    /** The killed server renewed its lease until it died; nothing releases it, it expires. */
    @Override
    protected void awaitLockOfTheKilledServer(long instance) throws Exception {
        String key = "llm-batch/" + instance;
        if (count("SELECT count(*) FROM llm_batch_lease WHERE instance_key = ?", key) != 1) {
            throw new AssertionError("the killed server left no lease of " + key + ": its lock was not the lease");
        }
        long deadline = System.nanoTime() + LEASE_WAIT.toNanos();
        while (count("SELECT count(*) FROM llm_batch_lease WHERE instance_key = ?"
                + " AND expires_at >= CURRENT_TIMESTAMP", key) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the lease of the killed server did not expire within " + LEASE_WAIT);
            }
            Thread.sleep(500);
        }
    }

    private int count(String sql, String key) throws SQLException {
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private void update(String sql, String key) throws SQLException {
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            s.executeUpdate();
        }
    }
}
