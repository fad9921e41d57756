package io.github.llmbatch.job;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC job parameters: which combinations are accepted, and what they default to. */
class JobSettingsJdbcTest {

    private static Properties base() {
        Properties p = new Properties();
        p.setProperty("model", "m");
        p.setProperty("userTemplate", "{{text}}");
        return p;
    }

    private static String failure(Properties p) {
        return assertThrows(IllegalArgumentException.class, () -> JobSettings.from(p)).getMessage();
    }

    @Test
    void aTableInAndATableOutShareTheDatasourceAndTheRejectsGoBesideTheOutput() {
        Properties p = base();
        p.setProperty("inputDataSource", "java:jboss/datasources/LlmBatchDS");
        p.setProperty("inputTable", "app.tickets");
        p.setProperty("idField", "Ticket_ID");
        p.setProperty("outputTable", "app.ticket_answers");

        JobSettings s = JobSettings.from(p);

        assertTrue(s.jdbcInput());
        assertTrue(s.tableOutput());
        assertEquals("SELECT * FROM app.tickets", s.inputQuery());
        assertEquals("ticket_id", s.idField());
        assertEquals("java:jboss/datasources/LlmBatchDS", s.outputDataSource());
        assertEquals("app.ticket_answers_rejects", s.rejectsTable());
        assertEquals("table app.ticket_answers_rejects", s.rejectsTarget());
        assertNull(s.input());
        assertNull(s.output());
        assertNull(s.rejects());
    }

    @Test
    void aQueryLosesItsSemicolonAndAFileOutputKeepsFileRejects() {
        Properties p = base();
        p.setProperty("inputDataSource", "jdbc:h2:mem:x");
        p.setProperty("inputQuery", " SELECT id, text FROM t WHERE lang = 'en';  ");
        p.setProperty("output", "/tmp/out.jsonl");

        JobSettings s = JobSettings.from(p);

        assertEquals("SELECT id, text FROM t WHERE lang = 'en'", s.inputQuery());
        assertFalse(s.tableOutput());
        assertEquals(Path.of("/tmp/out.jsonl.rejects.jsonl"), s.rejects());
    }

    @Test
    void aFileInputCanWriteToATableInItsOwnDatasource() {
        Properties p = base();
        p.setProperty("input", "/data/in.jsonl");
        p.setProperty("outputDataSource", "java:jboss/datasources/Out");
        p.setProperty("outputTable", "answers");

        JobSettings s = JobSettings.from(p);

        assertFalse(s.jdbcInput());
        assertEquals("java:jboss/datasources/Out", s.outputDataSource());
        assertEquals("answers_rejects", s.rejectsTable());
    }

    @Test
    void badCombinationsAndNamesAreRefusedNamingTheParameter() {
        Properties both = base();
        both.setProperty("input", "/in.jsonl");
        both.setProperty("inputDataSource", "ds");
        both.setProperty("inputTable", "t");
        assertEquals("set either input (a file) or inputDataSource (a table), not both", failure(both));

        Properties neither = base();
        neither.setProperty("inputDataSource", "ds");
        neither.setProperty("output", "/out.jsonl");
        assertEquals("with inputDataSource, set exactly one of inputTable and inputQuery", failure(neither));

        Properties noOutput = base();
        noOutput.setProperty("inputDataSource", "ds");
        noOutput.setProperty("inputTable", "t");
        assertEquals("with inputDataSource, job parameter 'output' (a file) or 'outputTable' is required",
                failure(noOutput));

        Properties injected = base();
        injected.setProperty("input", "/in.jsonl");
        injected.setProperty("outputDataSource", "ds");
        injected.setProperty("outputTable", "t; DROP TABLE x");
        assertTrue(failure(injected).startsWith("outputTable 't; DROP TABLE x' is not a table name"));

        Properties noDataSource = base();
        noDataSource.setProperty("input", "/in.jsonl");
        noDataSource.setProperty("outputTable", "t");
        assertEquals("outputTable needs outputDataSource, the datasource it lies in", failure(noDataSource));

        Properties rejectsFile = base();
        rejectsFile.setProperty("input", "/in.jsonl");
        rejectsFile.setProperty("outputDataSource", "ds");
        rejectsFile.setProperty("outputTable", "answers");
        rejectsFile.setProperty("rejects", "/bad.jsonl");
        assertEquals("rejects names a file; with outputTable the rejects go to table answers_rejects",
                failure(rejectsFile));

        Properties badId = base();
        badId.setProperty("inputDataSource", "ds");
        badId.setProperty("inputTable", "t");
        badId.setProperty("outputTable", "o");
        badId.setProperty("idField", "id) x");
        assertEquals("idField 'id) x' is not a column name", failure(badId));
    }

    @Test
    void theLockDatasourceDefaultsToTheServerWideProperty() {
        Properties p = base();
        p.setProperty("input", "/in.jsonl");
        assertNull(JobSettings.from(p).lockDataSource());

        System.setProperty(JobSettings.LOCK_DATA_SOURCE_PROPERTY, "java:jboss/datasources/LlmBatchDS");
        try {
            assertEquals("java:jboss/datasources/LlmBatchDS", JobSettings.from(p).lockDataSource());
            p.setProperty("lockDataSource", "java:jboss/datasources/Other");
            assertEquals("java:jboss/datasources/Other", JobSettings.from(p).lockDataSource());
        } finally {
            System.clearProperty(JobSettings.LOCK_DATA_SOURCE_PROPERTY);
        }
    }
}
