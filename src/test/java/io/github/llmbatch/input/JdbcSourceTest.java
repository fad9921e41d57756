package io.github.llmbatch.input;

import io.github.llmbatch.TestDataSources;
import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows of the local PostgreSQL as records. */
@RequiresPostgres
class JdbcSourceTest {

    private static PostgresDatabase database;
    private static DataSource dataSource;

    @BeforeAll
    static void createTables() throws SQLException {
        database = PostgresDatabase.createFresh("llmbatch_jdbcsource");
        dataSource = TestDataSources.postgres(database);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tickets (\"ID\" TEXT PRIMARY KEY, Subject TEXT, priority INTEGER,"
                    + " score NUMERIC(5,2), ratio DOUBLE PRECISION, urgent BOOLEAN, extra JSONB, opened DATE)");
            // inserted out of order: the source reads them in id order
            s.execute("INSERT INTO tickets VALUES"
                    + " ('t-3', 'printer \"jams\"', 3, 1.50, 0.25, false, '{\"tags\":[\"hw\"]}', '2024-05-01'),"
                    + " ('t-1', 'login fails', 1, 10.00, NULL, true, NULL, NULL),"
                    + " ('t-2', NULL, NULL, NULL, 'NaN', NULL, '[1,2]', '2024-05-02')");
            s.execute("CREATE TABLE numbers (id BIGINT PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO numbers SELECT n, 'n' || n FROM generate_series(1, 25) n");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void eachRowBecomesAJsonObjectWithLowerCasedColumnsInIdOrder() throws Exception {
        List<String> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (JdbcSource source = new JdbcSource(dataSource, "SELECT * FROM tickets", "\"ID\"", 0, 1000)) {
            for (InputRecord r; (r = source.next()) != null; ) {
                records.add(new String(r.bytes(), r.offset(), r.length(), StandardCharsets.UTF_8));
                lines.add(r.line());
            }
        }

        assertEquals(List.of(
                "{\"id\":\"t-1\",\"subject\":\"login fails\",\"priority\":1,\"score\":10.00,\"ratio\":null,"
                        + "\"urgent\":true,\"extra\":null,\"opened\":null}",
                "{\"id\":\"t-2\",\"subject\":null,\"priority\":null,\"score\":null,\"ratio\":\"NaN\","
                        + "\"urgent\":null,\"extra\":[1, 2],\"opened\":\"2024-05-02\"}",
                "{\"id\":\"t-3\",\"subject\":\"printer \\\"jams\\\"\",\"priority\":3,\"score\":1.50,\"ratio\":0.25,"
                        + "\"urgent\":false,\"extra\":{\"tags\": [\"hw\"]},\"opened\":\"2024-05-01\"}"),
                records);
        assertEquals(List.of(1L, 2L, 3L), lines);
    }

    @Test
    void readsPageByPageAndResumesAfterTheCheckpointedRowCount() throws Exception {
        List<String> firstRun = new ArrayList<>();
        Long checkpoint;
        try (JdbcSource source = new JdbcSource(dataSource, "SELECT id, name FROM numbers WHERE id <= 20",
                "id", 0, 4)) {
            for (int i = 0; i < 9; i++) {
                firstRun.add(text(source.next()));
            }
            checkpoint = (Long) source.checkpoint();
            source.next(); // read but not checkpointed: read again after the restart
        }
        List<Long> resumedLines = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        try (JdbcSource source = new JdbcSource(dataSource, "SELECT id, name FROM numbers WHERE id <= 20", "id",
                checkpoint, 4)) {
            for (InputRecord r; (r = source.next()) != null; ) {
                resumed.add(text(r));
                resumedLines.add(r.line());
            }
            assertEquals(20L, source.checkpoint());
            assertNull(source.next());
        }

        assertEquals(9L, checkpoint);
        assertEquals("{\"id\":9,\"name\":\"n9\"}", firstRun.get(8));
        assertEquals(11, resumed.size());
        assertEquals("{\"id\":10,\"name\":\"n10\"}", resumed.get(0));
        assertEquals("{\"id\":20,\"name\":\"n20\"}", resumed.get(10));
        assertEquals(10L, resumedLines.get(0));
        assertEquals(20L, resumedLines.get(10));
    }

    @Test
    void aPageBoundaryAtTheEndReadsOneEmptyPage() throws Exception {
        int n = 0;
        try (JdbcSource source = new JdbcSource(dataSource, "SELECT * FROM numbers", "id", 0, 5)) {
            while (source.next() != null) {
                n++;
            }
        }
        assertEquals(25, n);
    }

    @Test
    void aQueryWithoutTheIdColumnFailsNamingTheError() {
        JdbcSource source = new JdbcSource(dataSource, "SELECT name FROM numbers", "id", 0, 5);

        Exception e = assertThrows(java.io.IOException.class, source::next);

        assertTrue(e.getMessage().contains("cannot read input rows from 1 on"), e.getMessage());
        assertTrue(e.getMessage().contains("id"), e.getMessage());
    }

    private static String text(InputRecord r) {
        return new String(r.bytes(), r.offset(), r.length(), StandardCharsets.UTF_8);
    }
}
