package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseSchemaTest {

    private static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "label": {"type": "string", "enum": ["spam", "ham"]},
               "score": {"type": "integer"},
               "ratio": {"type": "number"},
               "flag": {"type": "boolean"},
               "tags": {"type": "array", "items": {"type": "string"}},
               "detail": {"type": "object", "properties": {"why": {"type": ["string", "null"]}}, "required": ["why"]}
             },
             "required": ["label", "score"]}
            """;

    @TempDir
    Path dir;

    private final ResponseSchema schema = ResponseSchema.parse("s", SCHEMA);

    @Test
    void aValidAnswerBecomesCompactJsonAndOneValuePerPropertyInSchemaOrder() throws Exception {
        StructuredAnswer a = schema.check("""
                {
                  "score": 3, "label": "ham",
                  "tags": ["a", "b"], "detail": {"why": null}, "ratio": 2, "extra": {"x": [1]}
                }
                """);
        assertEquals("{\"score\":3,\"label\":\"ham\",\"tags\":[\"a\",\"b\"],\"detail\":{\"why\":null},\"ratio\":2,"
                + "\"extra\":{\"x\":[1]}}", a.json());
        assertEquals(Arrays.asList("ham", "3", "2", null, "[\"a\",\"b\"]", "{\"why\":null}"), a.values());
        assertEquals(List.of("label", "score", "ratio", "flag", "tags", "detail"), schema.properties());
    }

    @Test
    void aWholeNumberWrittenWithAFractionIsAnInteger() throws Exception {
        assertEquals("2.0", schema.check("{\"label\":\"ham\",\"score\":2.0}").values().get(1));
    }

    @Test
    void eachBreachIsNamedWithItsPath() {
        assertInvalid("{\"label\":\"ham\",\"score\":", "not valid JSON");
        assertInvalid("Sure! {\"label\":\"ham\"}", "not valid JSON");
        assertInvalid("", "empty");
        assertInvalid("[1]", "$ is an array, the schema wants object");
        assertInvalid("{\"label\":\"ham\"}", "$ lacks the required score");
        assertInvalid("{\"label\":\"eggs\",\"score\":1}", "$.label is \"eggs\", not one of the schema's enum");
        assertInvalid("{\"label\":\"ham\",\"score\":1.5}", "$.score is a number, the schema wants integer");
        assertInvalid("{\"label\":\"ham\",\"score\":\"1\"}", "$.score is a string, the schema wants integer");
        assertInvalid("{\"label\":\"ham\",\"score\":1,\"flag\":\"yes\"}", "$.flag is a string, the schema wants boolean");
        assertInvalid("{\"label\":\"ham\",\"score\":1,\"tags\":[\"a\",2]}", "$.tags[1] is an integer");
        assertInvalid("{\"label\":\"ham\",\"score\":1,\"detail\":{}}", "$.detail lacks the required why");
        assertInvalid("{\"label\":\"ham\",\"score\":1,\"detail\":{\"why\":3}}", "$.detail.why is an integer");
        assertInvalid("{\"label\":\"ham\",\"score\":1} {}", "text after");
    }

    private void assertInvalid(String answer, String expected) {
        InvalidAnswerException e = assertThrows(InvalidAnswerException.class, () -> schema.check(answer));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aSchemaFileIsNamedByItsFileAndMustDescribeAnObject() throws Exception {
        Path file = dir.resolve("ticket triage.v2.json");
        Files.writeString(file, SCHEMA);
        ResponseSchema read = ResponseSchema.read(file);
        assertEquals("ticket_triage", read.name());
        assertTrue(read.json().startsWith("{\"type\":\"object\",\"properties\":{\"label\":"), read.json());

        Files.writeString(file, "{\"type\":\"array\",\"items\":{}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResponseSchema.read(file));
        assertTrue(e.getMessage().startsWith("responseSchema " + file + ": the schema must be"), e.getMessage());
        Files.writeString(file, "{\"type\":");
        e = assertThrows(IllegalArgumentException.class, () -> ResponseSchema.read(file));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResponseSchema.read(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }
}
