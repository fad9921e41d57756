package io.github.llmbatch.wildfly;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh, empty PostgreSQL database for one test run, on the local server that
 * {@code .ci/run} installs. Connection settings come from the libpq variables
 * {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD} (defaults 127.0.0.1,
 * 5432, llmbatch, llmbatch); the role needs CREATEDB. {@link #close()} drops the database.
 */
public final class PostgresDatabase implements AutoCloseable {

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String name;

    private PostgresDatabase(String host, int port, String user, String password, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    /** Creates database {@code PREFIX_yyyyMMdd_HHmmss_NNNN} and returns it. */
    public static PostgresDatabase createFresh(String prefix) throws SQLException {
        String host = env("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(env("PGPORT", "5432"));
        String user = env("PGUSER", "llmbatch");
        String password = env("PGPASSWORD", "llmbatch");
        String name = prefix + "_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"))
                + "_" + ThreadLocalRandom.current().nextInt(1000, 10000);
        PostgresDatabase database = new PostgresDatabase(host, port, user, password, name);
        try {
            database.onMaintenanceDatabase("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("cannot create a test database on " + host + ":" + port + " as " + user
                    + " (a local PostgreSQL with that role is needed by the WildFly tests and the database unit tests:"
                    + " see .ci/run): "
                    + e.getMessage(), e);
        }
        return database;
    }

    /** Connects to the maintenance database once; fails as creating a test database would. */
    static void ping() throws SQLException {
        String url = "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432") + "/postgres";
        try (Connection ignored = DriverManager.getConnection(url, env("PGUSER", "llmbatch"),
                env("PGPASSWORD", "llmbatch"))) {
            // reachable, and the role logs in
        }
    }

    static String describeServer() {
        return env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432") + " as " + env("PGUSER", "llmbatch");
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** Drops the database, closing whatever connections a server still holds to it. */
    @Override
    public void close() throws SQLException {
        onMaintenanceDatabase("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void onMaintenanceDatabase(String sql) throws SQLException {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
