package io.github.llmbatch.merge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Inserts rows, or replaces the rows with the same key: the same rows written twice leave the
 * table as written once, which is what makes a restarted chunk safe without a byte offset to
 * truncate to. Values are bound as strings and numbers; JSON columns take JSON text.
 */
public final class TableUpsert {

    private final List<String> columns;
    private final int[] keyIndexes;
    private final int[] valueIndexes;
    private final SqlDialect dialect;
    private final String insert;
    private final String update;

    /**
     * @param table       an already validated table name
     * @param columns     all columns, in the order of the values of a row
     * @param keyColumns  the primary key's columns, a subset of {@code columns}
     * @param jsonColumns the columns holding JSON
     */
    public TableUpsert(String table, List<String> columns, List<String> keyColumns, Set<String> jsonColumns,
            SqlDialect dialect) {
        this.columns = List.copyOf(columns);
        this.dialect = dialect;
        this.keyIndexes = keyColumns.stream().mapToInt(columns::indexOf).toArray();
        this.valueIndexes = columns.stream().filter(c -> !keyColumns.contains(c)).mapToInt(columns::indexOf).toArray();
        String placeholders = columns.stream()
                .map(c -> jsonColumns.contains(c) ? dialect.jsonParameter() : "?")
                .collect(Collectors.joining(", "));
        String insertOnly = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")";
        this.insert = !dialect.insertOnConflict() ? insertOnly
                : insertOnly + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET "
                        + columns.stream().filter(c -> !keyColumns.contains(c))
                                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        this.update = "UPDATE " + table + " SET "
                + columns.stream().filter(c -> !keyColumns.contains(c))
                        .map(c -> c + " = " + (jsonColumns.contains(c) ? dialect.jsonParameter() : "?"))
                        .collect(Collectors.joining(", "))
                + " WHERE " + keyColumns.stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "));
    }

    /** Writes {@code rows} (values in column order) on {@code connection}; commits nothing itself. */
    public void write(Connection connection, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (dialect.insertOnConflict()) {
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                for (Object[] row : rows) {
                    bind(statement, row, allIndexes());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return;
        }
        List<Object[]> missing = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            int[] order = concat(valueIndexes, keyIndexes);
            for (Object[] row : rows) {
                bind(statement, row, order);
                if (statement.executeUpdate() == 0) {
                    missing.add(row);
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Object[] row : missing) {
                bind(statement, row, allIndexes());
                statement.executeUpdate();
            }
        }
    }

    private int[] allIndexes() {
        int[] all = new int[columns.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] both = new int[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void bind(PreparedStatement statement, Object[] row, int[] order) throws SQLException {
        for (int i = 0; i < order.length; i++) {
            Object value = row[order[i]];
            if (value == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else if (value instanceof Long n) {
                statement.setLong(i + 1, n);
            } else if (value instanceof Integer n) {
                statement.setInt(i + 1, n);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }
}
