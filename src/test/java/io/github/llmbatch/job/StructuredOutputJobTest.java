package io.github.llmbatch.job;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job with {@code responseSchema} and {@code requestOptions} against the embedded emulator,
 * for each provider: the emulator answers JSON valid against the two-field schema (as a chat message,
 * a Gemini part, an Anthropic tool input or a Responses output_text), the merge puts it in
 * {@code parsed} and in one CSV column per property, and the one answer the fault plan breaks
 * ({@code invalidOutput}) is failed {@code invalid_output} with its raw text kept.
 */
class StructuredOutputJobTest {

    static final String SCHEMA = """
            {
              "type": "object",
              "properties": {
                "sentiment": {"type": "string", "enum": ["positive", "negative", "neutral"]},
                "score": {"type": "integer"}
              },
              "required": ["sentiment", "score"],
              "additionalProperties": false
            }
            """;

    static final int RECORDS = 12;
    static final String BROKEN = "r-3";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure", "gemini", "anthropic"})
    void everyAnswerLandsInParsedAndTheBrokenOneFailsWithItsTextKept(String provider) throws Exception {
        Properties p = structuredParams(provider, "out.jsonl");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(RECORDS, out.size());
        for (String line : out) {
            Map<String, Object> record = TestJson.object(line);
            if (record.get("id").equals(BROKEN)) {
                assertEquals("failed", record.get("status"), line);
                assertEquals("invalid_output", TestJson.at(record, "error", "code"), line);
                String raw = (String) record.get("content");
                assertTrue(raw != null && !raw.isEmpty(), "the broken answer is kept: " + line);
                assertNull(record.get("parsed"), line);
                continue;
            }
            assertEquals("succeeded", record.get("status"), line);
            assertEquals("positive", TestJson.at(record, "parsed", "sentiment"), line);
            assertEquals(new TestJson.Num("1"), TestJson.at(record, "parsed", "score"), line);
            assertEquals(Map.of("sentiment", "positive", "score", new TestJson.Num("1")),
                    TestJson.object((String) record.get("content")), "content is the answer's text: " + line);
        }
        // the options went into every request the provider got
        List<String> requests = requestLines(execution);
        assertEquals(RECORDS, requests.size());
        for (String request : requests) {
            assertTrue(request.contains(optionsIn(provider)), request);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure", "gemini", "anthropic"})
    void csvOutputHasAColumnPerSchemaProperty(String provider) throws Exception {
        Properties p = structuredParams(provider, "out.csv");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> rows = Files.readAllLines(dir.resolve("out.csv"));
        assertEquals("id,status,content,error_code,error_message,usage,attempts,sentiment,score,name,n", rows.get(0));
        assertEquals(RECORDS + 1, rows.size());
        assertTrue(rows.get(1).startsWith("r-1,succeeded,"), rows.get(1));
        assertTrue(rows.get(1).endsWith(",1,positive,1,\"item 1\",1") || rows.get(1).endsWith(",1,positive,1,item 1,1"),
                rows.get(1));
        String broken = rows.get(3);
        assertTrue(broken.startsWith("r-3,failed,") && broken.contains(",invalid_output,"), broken);
        assertTrue(broken.endsWith(",1,,,\"item 3\",3") || broken.endsWith(",1,,,item 3,3"), broken);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure"})
    void theResponsesEndpointSendsInstructionsAndInputAndReadsTheOutputText(String provider) throws Exception {
        Properties p = structuredParams(provider, "out.jsonl");
        p.setProperty("endpoint", "/v1/responses");
        p.setProperty("systemPrompt", "You rate reviews.");
        p.setProperty("maxTokens", "40");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(RECORDS, out.size());
        Map<String, Object> first = TestJson.object(out.get(0));
        assertEquals("succeeded", first.get("status"), out.get(0));
        assertEquals("positive", TestJson.at(first, "parsed", "sentiment"));
        assertEquals("input_tokens", ((Map<?, ?>) first.get("usage")).keySet().iterator().next());
        assertEquals("invalid_output", TestJson.at(TestJson.object(out.get(2)), "error", "code"));
        Map<String, Object> request = TestJson.object(requestLines(execution).get(0));
        assertEquals("/v1/responses", request.get("url"));
        assertEquals("You rate reviews.", TestJson.at(request, "body", "instructions"));
        assertEquals("Say something about item 1", TestJson.at(request, "body", "input"));
        assertEquals(new TestJson.Num("40"), TestJson.at(request, "body", "max_output_tokens"));
        assertEquals("json_schema", TestJson.at(request, "body", "text", "format", "type"));
        assertEquals("review", TestJson.at(request, "body", "text", "format", "name"));
        assertEquals(true, TestJson.at(request, "body", "text", "format", "strict"));
    }

    @Test
    void withoutASchemaTheResponsesEndpointGivesTheOutputTextAsContent() throws Exception {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, 3);
        Properties p = params(dir, input);
        p.setProperty("endpoint", "responses");
        p.setProperty("emulatorFaults", "validatingMs=0;inProgressMs=0;finalizingMs=0");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        Map<String, Object> first = TestJson.object(Files.readAllLines(dir.resolve("out.jsonl")).get(0));
        assertEquals("[emulated] r-1: Say something about item 1", first.get("content"));
        assertFalse(first.containsKey("parsed"), "only jobs with a schema have parsed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "anthropic"})
    void requestOptionsThatSetWhatLlmBatchSetsAreRefusedNamingTheKey(String provider) throws Exception {
        Properties p = structuredParams(provider, "out.jsonl");
        String key = switch (provider) {
            case "openai" -> "messages";
            case "gemini" -> "contents";
            default -> "tool_choice";
        };
        p.setProperty("requestOptions", "{\"" + key + "\":[]}");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: requestOptions sets '" + key + "', which llm-batch"
                + " sets itself"), execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared");
    }

    @Test
    void requestOptionsThatAreNotAnObjectAreRefused() throws Exception {
        Properties p = structuredParams("openai", "out.jsonl");
        p.setProperty("requestOptions", "[1,2]");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertTrue(execution.getExitStatus().startsWith("FAILED: requestOptions must be a JSON object"),
                execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared");
    }

    @Test
    void aSchemaPropertyThatCannotBeAColumnIsRefusedForAnOutputTable() throws Exception {
        Properties p = structuredParams("openai", "out.jsonl");
        Files.writeString(Path.of(p.getProperty("responseSchema")),
                "{\"type\":\"object\",\"properties\":{\"first name\":{\"type\":\"string\"}}}");
        p.remove("output");
        p.setProperty("outputTable", "results");
        p.setProperty("outputDataSource", "java:jboss/datasources/X");

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> JobSettings.from(p));
        assertEquals("responseSchema property 'first name' cannot be a column of outputTable results (letters, digits,"
                + " _); rename it or write a file", e.getMessage());
    }

    @Test
    void theStructuredExampleRuns() throws Exception {
        Path examples = Path.of("examples").toAbsolutePath();
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(examples.resolve("structured.properties"))) {
            p.load(in);
        }
        p.setProperty("input", examples.resolve(p.getProperty("input")).toString());
        p.setProperty("responseSchema", examples.resolve(p.getProperty("responseSchema")).toString());
        p.setProperty("output", dir.resolve("reviews.csv").toString());
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("pollInterval", "200ms");

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), execution.getExitStatus());
        List<String> lines = Files.readAllLines(dir.resolve("reviews.csv"));
        assertEquals("id,status,content,error_code,error_message,usage,attempts,sentiment,aspects,confidence,product,"
                + "rating,title,text,lang", lines.get(0));
        assertTrue(lines.get(1).startsWith("r-0000001,succeeded,"), lines.get(1));
        assertTrue(lines.get(1).contains(",1,positive,\"[\"\"[emulated] r-0000001\"\"]\",0.5,"), lines.get(1));
    }

    /** What each provider's request lines must carry from {@link #options}. */
    private static String optionsIn(String provider) {
        return switch (provider) {
            case "gemini" -> "\"generationConfig\":{\"maxOutputTokens\":64,\"responseMimeType\":\"application/json\","
                    + "\"responseJsonSchema\":" + compactSchema() + ",\"topP\":0.5,\"seed\":7}"
                    + ",\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}]}}";
            case "anthropic" -> ",\"top_k\":5,\"metadata\":{\"user_id\":\"u-1\"}}}";
            default -> ",\"seed\":7,\"top_p\":0.5,\"stop\":[\"\\n\\n\"]}}";
        };
    }

    private static String options(String provider) {
        return switch (provider) {
            case "gemini" -> "{\"generationConfig\": {\"topP\": 0.5, \"seed\": 7}, \"safetySettings\":"
                    + " [{\"category\": \"HARM_CATEGORY_HARASSMENT\", \"threshold\": \"BLOCK_NONE\"}]}";
            case "anthropic" -> "{\"top_k\": 5, \"metadata\": {\"user_id\": \"u-1\"}}";
            default -> "{\"seed\": 7, \"top_p\": 0.5, \"stop\": [\"\\n\\n\"]}";
        };
    }

    static String compactSchema() {
        return "{\"type\":\"object\",\"properties\":{\"sentiment\":{\"type\":\"string\",\"enum\":[\"positive\","
                + "\"negative\",\"neutral\"]},\"score\":{\"type\":\"integer\"}},\"required\":[\"sentiment\",\"score\"],"
                + "\"additionalProperties\":false}";
    }

    private Properties structuredParams(String provider, String output) throws IOException {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, RECORDS);
        Path schema = dir.resolve("review.schema.json");
        Files.writeString(schema, SCHEMA);
        Properties p = params(dir, input, provider);
        p.setProperty("output", dir.resolve(output).toString());
        p.setProperty("responseSchema", schema.toString());
        p.setProperty("requestOptions", options(provider));
        p.setProperty("maxTokens", "64");
        p.setProperty("model", switch (provider) {
            case "gemini" -> "gemini-2.5-flash";
            case "anthropic" -> "claude-haiku-4-5";
            default -> "gpt-4o-mini";
        });
        p.setProperty("emulatorFaults", JobTestSupport.faultsFor(provider, "invalidOutput=^" + BROKEN + "$"));
        return p;
    }

    /** Every request line of every shard, as prepare wrote it. */
    private List<String> requestLines(JobExecution execution) throws IOException {
        Ledger ledger = JobTestSupport.ledgerOf(dir.resolve("work"), execution);
        List<String> lines = new ArrayList<>();
        for (Ledger.Shard shard : ledger.shards) {
            lines.addAll(Files.readAllLines(Path.of(shard.requestsFile)));
        }
        return lines;
    }
}
