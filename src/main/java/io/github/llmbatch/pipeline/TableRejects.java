package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.MissingTable;
import io.github.llmbatch.merge.SqlDialect;
import io.github.llmbatch.merge.TableUpsert;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The rejects table beside an output table: one row per rejected input record, keyed by the job
 * instance and the record's line (row) number, so that a restart writing a reject again
 * replaces it. The position is the last line synced: lines only grow during prepare, so a sink
 * resumed from it deletes this instance's rows after it, as the file is truncated.
 *
 * <p>Created when missing; on PostgreSQL:
 * <pre>
 * CREATE TABLE results_rejects (
 *   job_instance BIGINT NOT NULL,
 *   line         BIGINT NOT NULL,   -- the record's line, or row number in id order
 *   id           TEXT,              -- null when the record had no usable id
 *   reason       TEXT NOT NULL,
 *   input        TEXT NOT NULL,     -- the record as it was read
 *   PRIMARY KEY (job_instance, line)
 * )
 * </pre>
 */
public final class TableRejects implements RejectSink {

    private static final List<String> COLUMNS = List.of("job_instance", "line", "id", "reason", "input");

    private final DataSource dataSource;
    private final TableUpsert upsert;
    private final long jobInstance;
    private final List<Object[]> pending = new ArrayList<>();
    private long lastLine;

    private TableRejects(DataSource dataSource, TableUpsert upsert, long jobInstance, long lastLine) {
        this.dataSource = dataSource;
        this.upsert = upsert;
        this.jobInstance = jobInstance;
        this.lastLine = lastLine;
    }

    /**
     * Creates the table if missing and deletes this instance's rejects after {@code lastLine}.
     *
     * @param table    an already validated table name
     * @param lastLine the position being resumed (0 at the start)
     */
    public static TableRejects resume(DataSource dataSource, String table, long jobInstance, long lastLine)
            throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            SqlDialect d = SqlDialect.of(connection);
            MissingTable.create(connection, table, "CREATE TABLE " + table + " ("
                    + "job_instance BIGINT NOT NULL, line BIGINT NOT NULL, id " + d.textType() + ", "
                    + "reason " + d.textType() + " NOT NULL, input " + d.textType() + " NOT NULL, "
                    + "PRIMARY KEY (job_instance, line))");
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE job_instance = ? AND line > ?")) {
                delete.setLong(1, jobInstance);
                delete.setLong(2, lastLine);
                delete.executeUpdate();
            }
            TableUpsert upsert = new TableUpsert(table, COLUMNS, List.of("job_instance", "line"), Set.of(), d);
            return new TableRejects(dataSource, upsert, jobInstance, lastLine);
        } catch (SQLException e) {
            throw new IOException("cannot open rejects table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Prepared.Reject reject) {
        pending.add(new Object[] {jobInstance, reject.line(), reject.id(), reject.reason(), reject.input()});
    }

    @Override
    public long sync() throws IOException {
        if (!pending.isEmpty()) {
            try (Connection connection = dataSource.getConnection()) {
                upsert.write(connection, pending);
            } catch (SQLException e) {
                throw new IOException("cannot write rejects: " + e.getMessage(), e);
            }
            lastLine = Math.max(lastLine, (Long) pending.get(pending.size() - 1)[1]);
            pending.clear();
        }
        return lastLine;
    }

    /** Drops what was not synced: the restart writes it again. */
    @Override
    public void close() {
        pending.clear();
    }
}
