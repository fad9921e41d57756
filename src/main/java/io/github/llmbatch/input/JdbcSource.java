package io.github.llmbatch.input;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The rows of an SQL query, each as a JSON object record: column names lower-cased as field
 * names, numbers as JSON numbers, booleans as booleans, {@code json}/{@code jsonb} columns as
 * their JSON, NULL as null and anything else as its text. A record's line number is its row
 * number, counted from 1.
 *
 * <p>Rows are read in the order of the id column, a page at a time, each page in its own short
 * statement: no cursor is held open across the chunk transactions a server runs the reader in.
 * The checkpoint is the number of rows read; a restart reads on from there, which is exact as
 * long as the query returns the same rows in the same order, i.e. the id column is unique and
 * the rows do not change while the job runs. (With a repeated id the counts still add up, but
 * which of the equal rows comes first is up to the database.)
 */
public final class JdbcSource implements InputSource {

    /** Rows fetched by one statement. */
    public static final int PAGE_SIZE = 1000;

    private static final JsonFactory JSON = new JsonFactory();

    private final DataSource dataSource;
    private final String pageQuery;
    private final int pageSize;
    private final ArrayDeque<InputRecord> page = new ArrayDeque<>();
    private final ByteArrayBuilder out = new ByteArrayBuilder(512);
    private long rows;
    private long fetched;
    private boolean exhausted;

    /**
     * @param query    any SELECT; it is wrapped, so it must not end in a semicolon
     * @param idColumn the column that orders the rows (the job's idField)
     * @param skipRows rows read before the checkpoint being resumed
     */
    public JdbcSource(DataSource dataSource, String query, String idColumn, long skipRows, int pageSize) {
        this.dataSource = dataSource;
        // the standard OFFSET/FETCH form: PostgreSQL, H2, Oracle 12c+, SQL Server, DB2 and Derby read it
        this.pageQuery = "SELECT * FROM (" + query + ") llm_batch_input ORDER BY llm_batch_input." + idColumn;
        this.pageSize = pageSize;
        this.rows = skipRows;
        this.fetched = skipRows;
    }

    @Override
    public InputRecord next() throws IOException {
        if (page.isEmpty() && !exhausted) {
            fetchPage();
        }
        InputRecord record = page.poll();
        if (record != null) {
            rows++;
        }
        return record;
    }

    private void fetchPage() throws IOException {
        String sql = pageQuery + " OFFSET " + fetched + " ROWS FETCH NEXT " + pageSize + " ROWS ONLY";
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setFetchSize(pageSize);
            try (ResultSet result = statement.executeQuery(sql)) {
                ResultSetMetaData meta = result.getMetaData();
                String[] names = new String[meta.getColumnCount()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
                }
                int n = 0;
                while (result.next()) {
                    byte[] json = toJson(result, meta, names);
                    page.add(new InputRecord(++fetched, json, 0, json.length));
                    n++;
                }
                exhausted = n < pageSize;
            }
        } catch (SQLException e) {
            throw new IOException("cannot read input rows from " + (fetched + 1) + " on: " + e.getMessage(), e);
        }
    }

    private byte[] toJson(ResultSet row, ResultSetMetaData meta, String[] names) throws SQLException, IOException {
        out.reset();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                g.writeFieldName(names[i]);
                writeValue(g, row, i + 1, meta.getColumnType(i + 1), meta.getColumnTypeName(i + 1));
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, ResultSet row, int column, int type, String typeName)
            throws SQLException, IOException {
        switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                long v = row.getLong(column);
                if (row.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            case Types.DECIMAL, Types.NUMERIC -> {
                BigDecimal v = row.getBigDecimal(column);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                double v = row.getDouble(column);
                if (row.wasNull()) {
                    g.writeNull();
                } else if (Double.isFinite(v)) {
                    g.writeNumber(v);
                } else {
                    g.writeString(Double.toString(v)); // JSON has no NaN or Infinity
                }
            }
            case Types.BIT, Types.BOOLEAN -> {
                boolean v = row.getBoolean(column);
                if (row.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeBoolean(v);
                }
            }
            default -> {
                String v = row.getString(column);
                if (v == null) {
                    g.writeNull();
                } else if (isJson(typeName)) {
                    g.writeRawValue(v);
                } else {
                    g.writeString(v);
                }
            }
        }
    }

    private static boolean isJson(String typeName) {
        return "json".equalsIgnoreCase(typeName) || "jsonb".equalsIgnoreCase(typeName);
    }

    @Override
    public Serializable checkpoint() {
        return rows;
    }

    @Override
    public void close() {
        page.clear();
    }
}
