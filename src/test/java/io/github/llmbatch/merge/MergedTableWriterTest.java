package io.github.llmbatch.merge;

import io.github.llmbatch.TestDataSources;
import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The output table on the local PostgreSQL (jsonb, ON CONFLICT) and on H2 (update, then insert). */
@RequiresPostgres
class MergedTableWriterTest {

    private static final String USAGE = "{\"prompt_tokens\":5,\"total_tokens\":7}";

    private static PostgresDatabase postgres;

    @BeforeAll
    static void createDatabase() throws SQLException {
        postgres = PostgresDatabase.createFresh("llmbatch_mergedtable");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        postgres.close();
    }

    private static DataSource dataSource(String kind) {
        return kind.equals("postgres") ? TestDataSources.postgres(postgres) : TestDataSources.h2();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void createsTheTableAndWritesOneRowPerRecord(String kind) throws Exception {
        DataSource dataSource = dataSource(kind);
        String table = "results_" + kind;

        try (MergedTableWriter writer = MergedTableWriter.open(dataSource, table, 0)) {
            writer.write(succeeded("a-1", "\"it said \\\"hi\\\"\"", "{\"id\":\"a-1\",\"text\":\"x\",\"n\":1}"));
            writer.write(failed("a-2", "{\"id\":\"a-2\",\"text\":\"y\"}"));
            assertEquals(2L, writer.sync());
        }

        assertEquals(List.of(
                row("a-1", "succeeded", "it said \"hi\"", null, null, USAGE, 1, "{\"id\":\"a-1\",\"text\":\"x\",\"n\":1}"),
                row("a-2", "failed", null, "invalid_request_error", "bad request", null, 2,
                        "{\"id\":\"a-2\",\"text\":\"y\"}")),
                rows(dataSource, table));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void writingTheSameRecordsAgainAfterARestartLeavesOneRowEach(String kind) throws Exception {
        DataSource dataSource = dataSource(kind);
        String table = "restarted_" + kind;
        try (MergedTableWriter writer = MergedTableWriter.open(dataSource, table, 0)) {
            writer.write(failed("b-1", "{\"id\":\"b-1\",\"text\":\"old\"}"));
            writer.write(succeeded("b-2", "\"two\"", "{\"id\":\"b-2\",\"text\":\"t\"}"));
            writer.sync();
            writer.write(succeeded("b-3", "\"lost\"", "{\"id\":\"b-3\",\"text\":\"t\"}")); // never synced
        }

        long checkpoint;
        try (MergedTableWriter writer = MergedTableWriter.open(dataSource, table, 1)) {
            writer.write(succeeded("b-2", "\"two again\"", "{\"id\":\"b-2\",\"text\":\"t\"}"));
            writer.write(succeeded("b-3", "\"three\"", "{\"id\":\"b-3\",\"text\":\"t\"}"));
            checkpoint = writer.sync();
        }

        assertEquals(3L, checkpoint);
        assertEquals(List.of(
                row("b-1", "failed", null, "invalid_request_error", "bad request", null, 2,
                        "{\"id\":\"b-1\",\"text\":\"old\"}"),
                row("b-2", "succeeded", "two again", null, null, USAGE, 1, "{\"id\":\"b-2\",\"text\":\"t\"}"),
                row("b-3", "succeeded", "three", null, null, USAGE, 1, "{\"id\":\"b-3\",\"text\":\"t\"}")),
                rows(dataSource, table));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void anEmbeddingVectorIsStoredAsItsJson(String kind) throws Exception {
        DataSource dataSource = dataSource(kind);
        try (MergedTableWriter writer = MergedTableWriter.open(dataSource, "vectors_" + kind, 0)) {
            writer.write(succeeded("v-1", "[0.5,-0.25]", "{\"id\":\"v-1\"}"));
            writer.sync();
        }
        assertEquals("[0.5,-0.25]", rows(dataSource, "vectors_" + kind).get(0).get(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aStructuredAnswerHasAColumnPerSchemaPropertyAfterTheOwnOnes(String kind) throws Exception {
        DataSource dataSource = dataSource(kind);
        String table = "structured_" + kind;
        byte[] record = "{\"id\":\"s-1\"}".getBytes(StandardCharsets.UTF_8);
        try (MergedTableWriter writer = MergedTableWriter.open(dataSource, table, 0,
                List.of("label", "status", "tags"))) {
            writer.write(new MergedRecord("s-1", true, "\"{...}\"", null, null, USAGE, 1, record, 0, record.length,
                    "{\"label\":\"ham\",\"status\":\"open\",\"tags\":[\"a\"]}", List.of("ham", "open", "[\"a\"]")));
            writer.write(new MergedRecord("s-2", false, "\"{broken\"", "invalid_output", "not JSON", USAGE, 1, record,
                    0, record.length));
            writer.sync();
        }
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, content, label, parsed_status, tags FROM " + table
                        + " ORDER BY id")) {
            while (r.next()) {
                rows.add(Arrays.asList(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)));
            }
        }
        assertEquals(List.of(Arrays.asList("s-1", "{...}", "ham", "open", "[\"a\"]"),
                Arrays.asList("s-2", "{broken", null, null, null)), rows);
    }

    private static MergedRecord succeeded(String id, String contentJson, String record) {
        byte[] bytes = ("  " + record).getBytes(StandardCharsets.UTF_8);
        return new MergedRecord(id, true, contentJson, null, null, USAGE, 1, bytes, 2,
                bytes.length - 2);
    }

    private static MergedRecord failed(String id, String record) {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        return new MergedRecord(id, false, null, "invalid_request_error", "bad request", null, 2, bytes, 0,
                bytes.length);
    }

    /** Each row as its column values; the JSON columns parsed, since PostgreSQL's jsonb reorders keys. */
    private static List<List<Object>> rows(DataSource dataSource, String table) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, status, content, error_code, error_message, usage, attempts,"
                        + " record FROM " + table + " ORDER BY id")) {
            while (r.next()) {
                rows.add(Arrays.asList(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), json(r.getString(6)), r.getInt(7), json(r.getString(8))));
            }
        }
        return rows;
    }

    private static List<Object> row(String id, String status, String content, String errorCode, String errorMessage,
            String usage, int attempts, String record) {
        return Arrays.asList(id, status, content, errorCode, errorMessage, json(usage), attempts, json(record));
    }

    private static JsonValue json(String text) {
        return text == null ? null : Json.createReader(new StringReader(text)).readValue();
    }
}
