package io.github.llmbatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On H2, which folds unquoted names to upper case as Derby does (PostgreSQL: the lease and output table tests). */
class MissingTableTest {

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:missing-table-" + System.nanoTime());
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void createsTheTableOnceAndLeavesAnExistingOneWithItsRows() throws SQLException {
        MissingTable.create(connection, "results_a", "CREATE TABLE results_a (id VARCHAR PRIMARY KEY)");
        execute("INSERT INTO results_a VALUES ('r-1')");

        MissingTable.create(connection, "results_a", "CREATE TABLE results_a (id VARCHAR PRIMARY KEY)");

        assertEquals(1, count("results_a"));
    }

    @Test
    void anUnderscoreInTheNameIsNotAWildcard() throws SQLException {
        execute("CREATE TABLE resultsXa (id VARCHAR)");

        assertFalse(MissingTable.exists(connection, "results_a"));
        MissingTable.create(connection, "results_a", "CREATE TABLE results_a (id VARCHAR)");
        assertTrue(MissingTable.exists(connection, "results_a"));
    }

    @Test
    void aSchemaQualifiedNameIsLookedUpInThatSchemaOnly() throws SQLException {
        execute("CREATE SCHEMA other");
        execute("CREATE TABLE answers (id VARCHAR)");

        assertFalse(MissingTable.exists(connection, "other.answers"));
        MissingTable.create(connection, "other.answers", "CREATE TABLE other.answers (id VARCHAR)");
        assertTrue(MissingTable.exists(connection, "other.answers"));
        assertEquals(0, count("other.answers"));
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private int count(String table) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }
}
