package io.github.llmbatch.pipeline;

import io.github.llmbatch.TestDataSources;
import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rejects table: what a resumed sink keeps, drops and writes again. */
@RequiresPostgres
class TableRejectsTest {

    private static PostgresDatabase postgres;

    @BeforeAll
    static void createDatabase() throws SQLException {
        postgres = PostgresDatabase.createFresh("llmbatch_rejects");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        postgres.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aResumedSinkDropsWhatFollowedItsCheckpointAndOtherInstancesKeepTheirRows(String kind) throws Exception {
        DataSource dataSource = kind.equals("postgres") ? TestDataSources.postgres(postgres) : TestDataSources.h2();
        try (TableRejects other = TableRejects.resume(dataSource, "out_rejects", 6, 0)) {
            other.write(new Prepared.Reject(9, null, "not valid JSON", "{x"));
            other.sync();
        }
        long checkpoint;
        try (TableRejects first = TableRejects.resume(dataSource, "out_rejects", 7, 0)) {
            first.write(new Prepared.Reject(3, "r-3", "a template field missing: name", "{\"id\":\"r-3\"}"));
            first.write(new Prepared.Reject(5, null, "empty line", ""));
            checkpoint = first.sync();
            first.write(new Prepared.Reject(8, "r-8", "duplicate id 'r-8'", "{\"id\":\"r-8\"}"));
            first.sync(); // written, but the step failed before this checkpoint was committed
        }

        long end;
        try (TableRejects resumed = TableRejects.resume(dataSource, "out_rejects", 7, checkpoint)) {
            resumed.write(new Prepared.Reject(9, "r-9", "duplicate id 'r-9'", "{\"id\":\"r-9\"}"));
            end = resumed.sync();
        }

        assertEquals(5L, checkpoint);
        assertEquals(9L, end);
        assertEquals(List.of(
                "6|9|null|not valid JSON|{x",
                "7|3|r-3|a template field missing: name|{\"id\":\"r-3\"}",
                "7|5|null|empty line|",
                "7|9|r-9|duplicate id 'r-9'|{\"id\":\"r-9\"}"), rows(dataSource));
    }

    private static List<String> rows(DataSource dataSource) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT job_instance, line, id, reason, input FROM out_rejects"
                        + " ORDER BY job_instance, line")) {
            while (r.next()) {
                rows.add(r.getLong(1) + "|" + r.getLong(2) + "|" + r.getString(3) + "|" + r.getString(4) + "|"
                        + r.getString(5));
            }
        }
        return rows;
    }
}
