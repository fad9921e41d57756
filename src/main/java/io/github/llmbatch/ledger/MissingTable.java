package io.github.llmbatch.ledger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Creates a table the application owns (the lease, an output table) when the database lacks
 * it. {@code CREATE TABLE IF NOT EXISTS} would say it in one statement, but Derby (GlassFish's
 * default database) does not know it; and trying the create and catching "already exists" would
 * abort the surrounding transaction on PostgreSQL, where the runtimes open writers inside one.
 * So the table is looked up in the connection's metadata first: in the schema named before a dot,
 * else the current schema, under the name as written and as the database folds unquoted names.
 */
public final class MissingTable {

    private MissingTable() {
    }

    /** Runs {@code createStatement} unless {@code table} exists. */
    public static void create(Connection connection, String table, String createStatement) throws SQLException {
        if (exists(connection, table)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStatement);
        } catch (SQLException e) {
            // another node created it between the look and the create
            if (!exists(connection, table)) {
                throw e;
            }
        }
    }

    static boolean exists(Connection connection, String table) throws SQLException {
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? connection.getSchema() : table.substring(0, dot);
        String name = table.substring(dot + 1);
        DatabaseMetaData metadata = connection.getMetaData();
        String escape = metadata.getSearchStringEscape();
        for (String schemaSpelling : spellings(schema)) {
            for (String nameSpelling : spellings(name)) {
                // the arguments are LIKE patterns, where '_' matches any character
                try (ResultSet found = metadata.getTables(null, literal(schemaSpelling, escape),
                        literal(nameSpelling, escape), null)) {
                    if (found.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String literal(String identifier, String escape) {
        if (identifier == null || escape == null || escape.isEmpty()) {
            return identifier;
        }
        return identifier.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static Set<String> spellings(String identifier) {
        Set<String> spellings = new LinkedHashSet<>();
        spellings.add(identifier);
        if (identifier != null) {
            spellings.add(identifier.toLowerCase(Locale.ROOT));
            spellings.add(identifier.toUpperCase(Locale.ROOT));
        }
        return spellings;
    }
}
