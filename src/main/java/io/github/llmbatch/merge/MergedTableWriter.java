package io.github.llmbatch.merge;

import io.github.llmbatch.ledger.MissingTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Writes merged records into a table, one row per record, replacing the row with the same id
 * (the table holds each record's latest result, whichever job wrote it). Restart-safe because
 * writing the same record again changes nothing; the checkpoint is only the number of rows
 * written. Rows are sent at {@link #sync()}, which the merge step calls in its chunk's
 * transaction, so in a server they commit together with the checkpoint.
 *
 * <p>The table is created when it is missing; on PostgreSQL:
 * <pre>
 * CREATE TABLE results (
 *   id            TEXT PRIMARY KEY,   -- the record's id (idField), as text
 *   status        TEXT NOT NULL,      -- succeeded | failed
 *   content       TEXT,               -- chat: the answer; embeddings: the vector as JSON
 *   error_code    TEXT,
 *   error_message TEXT,
 *   usage         JSONB,
 *   attempts      INTEGER NOT NULL,
 *   record        JSONB NOT NULL      -- the input record as it was read
 * )
 * </pre>
 * (other databases: VARCHAR for TEXT and JSONB). With a response schema, one TEXT column per top-level
 * property follows {@code record} (a string as its text, other values as JSON; see {@link AnswerColumns}).
 */
public final class MergedTableWriter implements MergedOutput {

    static final List<String> COLUMNS = List.of("id", "status", "content", "error_code", "error_message", "usage",
            "attempts", "record");

    private final DataSource dataSource;
    private final TableUpsert upsert;
    private final int answerColumns;
    private final List<Object[]> pending = new ArrayList<>();
    private long rows;

    private MergedTableWriter(DataSource dataSource, TableUpsert upsert, int answerColumns, long rows) {
        this.dataSource = dataSource;
        this.upsert = upsert;
        this.answerColumns = answerColumns;
        this.rows = rows;
    }

    /**
     * Creates the table if it is missing.
     *
     * @param table       an already validated table name
     * @param rowsWritten the checkpoint being resumed (0 at the start)
     */
    public static MergedTableWriter open(DataSource dataSource, String table, long rowsWritten) throws IOException {
        return open(dataSource, table, rowsWritten, List.of());
    }

    /**
     * @param answerFields the response schema's top-level properties, each a text column after
     *                     {@code record} ({@link AnswerColumns}; already checked to be column names); empty
     *                     without a schema
     */
    public static MergedTableWriter open(DataSource dataSource, String table, long rowsWritten,
            List<String> answerFields) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection);
            List<String> answers = AnswerColumns.names(answerFields, COLUMNS);
            MissingTable.create(connection, table, createTable(table, dialect, answers));
            List<String> columns = new ArrayList<>(COLUMNS);
            columns.addAll(answers);
            TableUpsert upsert = new TableUpsert(table, columns, List.of("id"), Set.of("usage", "record"), dialect);
            return new MergedTableWriter(dataSource, upsert, answers.size(), rowsWritten);
        } catch (SQLException e) {
            throw new IOException("cannot open output table " + table + ": " + e.getMessage(), e);
        }
    }

    static String createTable(String table, SqlDialect d) {
        return createTable(table, d, List.of());
    }

    static String createTable(String table, SqlDialect d, List<String> answerColumns) {
        StringBuilder answers = new StringBuilder();
        for (String column : answerColumns) {
            answers.append(", ").append(column).append(' ').append(d.textType());
        }
        return "CREATE TABLE " + table + " ("
                + "id " + d.textType() + " PRIMARY KEY, "
                + "status " + d.textType() + " NOT NULL, "
                + "content " + d.textType() + ", "
                + "error_code " + d.textType() + ", "
                + "error_message " + d.textType() + ", "
                + "usage " + d.jsonType() + ", "
                + "attempts INTEGER NOT NULL, "
                + "record " + d.jsonType() + " NOT NULL" + answers + ")";
    }

    @Override
    public void write(MergedRecord r) throws IOException {
        // copied now: the record's bytes may be a buffer the reader reuses
        Object[] row = new Object[COLUMNS.size() + answerColumns];
        for (int i = 0; i < answerColumns && i < r.parsedValues().size(); i++) {
            row[COLUMNS.size() + i] = r.parsedValues().get(i);
        }
        Object[] own = {
                r.id(),
                r.status(),
                r.contentJson() == null ? null : MergedCsvWriter.textOf(r.contentJson()),
                r.errorCode(),
                r.errorMessage(),
                r.usageJson(),
                r.attempts(),
                new String(r.record(), r.recordOffset(), r.recordLength(), StandardCharsets.UTF_8)};
        System.arraycopy(own, 0, row, 0, own.length);
        pending.add(row);
    }

    @Override
    public long sync() throws IOException {
        if (!pending.isEmpty()) {
            try (Connection connection = dataSource.getConnection()) {
                upsert.write(connection, pending);
            } catch (SQLException e) {
                throw new IOException("cannot write merged records: " + e.getMessage(), e);
            }
            rows += pending.size();
            pending.clear();
        }
        return rows;
    }

    /** Drops what was not synced: the restart writes it again from the last checkpoint. */
    @Override
    public void close() {
        pending.clear();
    }
}
