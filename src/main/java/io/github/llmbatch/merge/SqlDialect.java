package io.github.llmbatch.merge;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The little that differs between databases for the output tables: PostgreSQL gets {@code jsonb}
 * columns and a one-statement upsert ({@code INSERT … ON CONFLICT … DO UPDATE}); any other
 * database text columns and an UPDATE followed, when it changed no row, by an INSERT.
 */
public enum SqlDialect {
    POSTGRESQL("TEXT", "JSONB", "CAST(? AS jsonb)"),
    GENERIC("VARCHAR", "VARCHAR", "?");

    private final String textType;
    private final String jsonType;
    private final String jsonParameter;

    SqlDialect(String textType, String jsonType, String jsonParameter) {
        this.textType = textType;
        this.jsonType = jsonType;
        this.jsonParameter = jsonParameter;
    }

    public static SqlDialect of(Connection connection) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())
                ? POSTGRESQL : GENERIC;
    }

    /** Column type for text of any length. */
    public String textType() {
        return textType;
    }

    /** Column type for a JSON document. */
    public String jsonType() {
        return jsonType;
    }

    /** The placeholder for a JSON parameter bound as a string. */
    public String jsonParameter() {
        return jsonParameter;
    }

    /** Whether {@code INSERT … ON CONFLICT (key) DO UPDATE} is available. */
    public boolean insertOnConflict() {
        return this == POSTGRESQL;
    }
}
