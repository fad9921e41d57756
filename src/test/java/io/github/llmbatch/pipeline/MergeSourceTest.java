package io.github.llmbatch.pipeline;

import io.github.llmbatch.TestJson;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.provider.Outcome;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.provider.openai.OpenAiResultDecoder;
import io.github.llmbatch.shard.RecordLines;
import io.github.llmbatch.shard.ShardFile;
import io.github.llmbatch.shard.ShardLimits;
import io.github.llmbatch.shard.ShardPosition;
import io.github.llmbatch.shard.ShardWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeSourceTest {

    @TempDir
    Path dir;

    /** A merged record reduced to what the tests compare. */
    record Row(String id, String status, String content, String code, int attempts, String record) {
        static Row of(MergedRecord m) {
            return new Row(m.id(), m.status(), m.contentJson(), m.errorCode(), m.attempts(),
                    new String(m.record(), m.recordOffset(), m.recordLength(), StandardCharsets.UTF_8));
        }
    }

    static String ok(String id, String content) {
        return "{\"id\":\"batch_req_" + id + "\",\"custom_id\":\"" + id + "\",\"response\":{\"status_code\":200,"
                + "\"request_id\":\"req\",\"body\":{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
                + "\"total_tokens\":4}}},\"error\":null}";
    }

    static String httpError(String id, int status, String body) {
        return "{\"id\":\"batch_req_" + id + "\",\"custom_id\":\"" + id + "\",\"response\":{\"status_code\":" + status
                + ",\"request_id\":\"req\",\"body\":" + body + "},\"error\":null}";
    }

    static String notRun(String id, String code) {
        return "{\"id\":\"batch_req_" + id + "\",\"custom_id\":\"" + id + "\",\"response\":null,"
                + "\"error\":{\"code\":\"" + code + "\",\"message\":\"it did not run\"}}";
    }

    private Ledger ledger;

    /** Two shards: r-1..r-5 and r-6..r-7, with hand-written result files for their attempts. */
    private Ledger handMadeLedger() throws IOException {
        Ledger l = new Ledger();
        List<ShardFile> shards;
        try (ShardWriter w = new ShardWriter(dir.resolve("shards"), new ShardLimits(5, 1_000_000, 50_000),
                ShardPosition.start())) {
            for (int i = 1; i <= 7; i++) {
                byte[] rec = EmulatedRun.recordJson(i).getBytes(StandardCharsets.UTF_8);
                w.add(("{\"custom_id\":\"r-" + i + "\"}").getBytes(StandardCharsets.UTF_8),
                        RecordLines.encode(i, "r-" + i, "r-" + i, rec, 0, rec.length), 0);
            }
            shards = w.finish();
        }
        for (ShardFile f : shards) {
            Ledger.Shard s = new Ledger.Shard();
            s.index = f.index();
            s.requestsFile = f.requestsFile();
            s.recordsFile = f.recordsFile();
            s.requests = f.requests();
            l.shards.add(s);
        }
        // shard 1, attempt 1: r-1 ok; r-2 500; r-3 expired; r-4 400 for good; r-5 nowhere
        l.attempts.add(attempt(1, 1, List.of(ok("r-1", "one"), httpError("r-2", 500,
                        "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")),
                List.of(notRun("r-3", "batch_expired"), httpError("r-4", 400,
                        "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":\"bad_thing\"}}"))));
        // attempt 2 (r-2, r-3, r-5): r-2 ok; r-3 500 without an error body; r-5 nowhere again
        l.attempts.add(attempt(1, 2, List.of(ok("r-2", "two")), List.of(httpError("r-3", 503, "{}"))));
        // attempt 3 (r-3, r-5): r-3 ok; r-5 nowhere, and no error file at all
        l.attempts.add(attempt(1, 3, List.of(ok("r-3", "three \\\"quoted\\\"")), null));
        // shard 2, one attempt: r-6 ok, r-7 cancelled
        l.attempts.add(attempt(2, 1, List.of(ok("r-6", "six")), List.of(notRun("r-7", "batch_cancelled"))));
        return l;
    }

    private Ledger.Attempt attempt(int shard, int n, List<String> output, List<String> errors) throws IOException {
        Ledger.Attempt a = new Ledger.Attempt();
        a.shard = shard;
        a.attempt = n;
        a.resolved = true;
        if (output != null) {
            Path f = dir.resolve("results/s" + shard + "a" + n + ".output.jsonl");
            Files.createDirectories(f.getParent());
            Files.writeString(f, String.join("\n", output) + "\n");
            a.outputFile = f.toString();
        }
        if (errors != null) {
            Path f = dir.resolve("results/s" + shard + "a" + n + ".errors.jsonl");
            Files.createDirectories(f.getParent());
            Files.writeString(f, String.join("\r\n", errors) + "\r\n\r\n");
            a.errorFile = f.toString();
        }
        return a;
    }

    private List<Row> readAll(MergeSource source) throws IOException {
        ResultJoiner joiner = new ResultJoiner(new OpenAiResultDecoder(), new OpenAiProfile());
        List<Row> rows = new ArrayList<>();
        MergeInput in;
        while ((in = source.next()) != null) {
            rows.add(Row.of(joiner.join(in)));
        }
        assertNull(source.next());
        return rows;
    }

    @Test
    void eachRecordInInputOrderWithItsLatestResult() throws IOException {
        ledger = handMadeLedger();
        List<Row> rows;
        try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), MergePosition.start())) {
            rows = readAll(source);
        }
        assertEquals(List.of(
                new Row("r-1", "succeeded", "\"one\"", null, 1, EmulatedRun.recordJson(1)),
                new Row("r-2", "succeeded", "\"two\"", null, 2, EmulatedRun.recordJson(2)),
                new Row("r-3", "succeeded", "\"three \\\"quoted\\\"\"", null, 3, EmulatedRun.recordJson(3)),
                new Row("r-4", "failed", null, "bad_thing", 1, EmulatedRun.recordJson(4)),
                new Row("r-5", "failed", null, Outcome.MISSING_RESULT, 3, EmulatedRun.recordJson(5)),
                new Row("r-6", "succeeded", "\"six\"", null, 1, EmulatedRun.recordJson(6)),
                new Row("r-7", "failed", null, "batch_cancelled", 1, EmulatedRun.recordJson(7))), rows);
    }

    @Test
    void failureMessagesAndUsage() throws IOException {
        ledger = handMadeLedger();
        ResultJoiner joiner = new ResultJoiner(new OpenAiResultDecoder(), new OpenAiProfile());
        List<MergedRecord> merged = new ArrayList<>();
        try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), MergePosition.start())) {
            MergeInput in;
            while ((in = source.next()) != null) {
                merged.add(joiner.join(in));
            }
        }
        MergedRecord r1 = merged.get(0);
        assertEquals(TestJson.parse("{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}"),
                TestJson.parse(r1.usageJson()));
        assertNull(r1.errorMessage());
        assertEquals("bad", merged.get(3).errorMessage());
        MergedRecord missing = merged.get(4);
        assertTrue(missing.errorMessage().contains("no result") && missing.errorMessage().contains("3"),
                missing.errorMessage());
        assertNull(missing.usageJson());
        assertEquals("it did not run", merged.get(6).errorMessage());
    }

    @Test
    void damagedLinesFailTheirRequestAndTheRestIsMerged() throws IOException {
        ledger = handMadeLedger();
        ledger.attempts.removeIf(a -> a.shard == 1);
        Ledger.Attempt a = attempt(1, 1, null, null);
        Path output = dir.resolve("results/damaged.output.jsonl");
        String cut = ok("r-3", "three");
        try (var out = Files.newOutputStream(output)) {
            out.write((ok("r-1", "one") + "\n").getBytes(StandardCharsets.UTF_8));
            out.write("this is not JSON, and r-2 is nowhere else\n".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xFE, (byte) 0xC3, '\n'});
            out.write((ok("r-4", "four") + "\n" + ok("r-5", "five") + "\n").getBytes(StandardCharsets.UTF_8));
            // the download was cut in the middle of r-3's line
            out.write(cut.substring(0, cut.length() / 2).getBytes(StandardCharsets.UTF_8));
        }
        a.outputFile = output.toString();
        ledger.attempts.add(0, a);

        List<MergedRecord> merged = new ArrayList<>();
        try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), MergePosition.start())) {
            ResultJoiner joiner = new ResultJoiner(new OpenAiResultDecoder(), new OpenAiProfile());
            MergeInput in;
            while ((in = source.next()) != null) {
                merged.add(joiner.join(in));
            }
        }

        assertEquals(List.of("r-1", "r-2", "r-3", "r-4", "r-5", "r-6", "r-7"),
                merged.stream().map(MergedRecord::id).toList());
        assertEquals(List.of("succeeded", "failed", "failed", "succeeded", "succeeded", "succeeded", "failed"),
                merged.stream().map(MergedRecord::status).toList());
        assertEquals(Outcome.MISSING_RESULT, merged.get(1).errorCode(), "its custom_id is unreadable");
        MergedRecord r3 = merged.get(2);
        assertEquals(Outcome.MALFORMED_RESULT, r3.errorCode());
        assertTrue(r3.errorMessage().contains(output + " line 6"), r3.errorMessage());
        assertTrue(r3.errorMessage().contains("does not parse"), r3.errorMessage());
        assertEquals("\"five\"", merged.get(4).contentJson());
    }

    @Test
    void anHttpErrorWithoutAnErrorBodyIsNamedByItsStatus() throws IOException {
        ledger = handMadeLedger();
        ledger.attempts.remove(2); // without attempt 3, r-3's latest is attempt 2's bare 503
        List<Row> rows;
        try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), MergePosition.start())) {
            rows = readAll(source);
        }
        assertEquals(new Row("r-3", "failed", null, "http_503", 2, EmulatedRun.recordJson(3)), rows.get(2));
        assertEquals(new Row("r-5", "failed", null, Outcome.MISSING_RESULT, 2, EmulatedRun.recordJson(5)),
                rows.get(4), "attempts = the shard's last attempt");
    }

    @Test
    void resumingFromAnyCheckpointReadsExactlyTheRest() throws IOException {
        ledger = handMadeLedger();
        List<Row> all;
        try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), MergePosition.start())) {
            all = readAll(source);
        }
        for (int cut = 0; cut <= all.size(); cut++) {
            MergePosition checkpoint;
            try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), MergePosition.start())) {
                for (int i = 0; i < cut; i++) {
                    source.next();
                }
                checkpoint = source.checkpoint();
                assertEquals(cut, checkpoint.records());
                source.next();
            }
            try (MergeSource source = new MergeSource(ledger, new OpenAiResultDecoder(), checkpoint)) {
                assertEquals(all.subList(cut, all.size()), readAll(source), "resume after " + cut);
                assertEquals(all.size(), source.checkpoint().records());
            }
        }
    }

    @Test
    void endToEndAgainstTheEmulatorWithRetries() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "fail500=r-2;drop=r-7;fail400=r-5;expire=3", 10, 4, 3)) {
            e.runToEnd();
            Ledger saved = e.saved();
            List<Row> rows = new ArrayList<>();
            try (MergeSource source = new MergeSource(saved, e.provider.resultDecoder(), MergePosition.start())) {
                rows.addAll(readAll(source));
            }
            assertEquals(10, rows.size());
            for (int i = 1; i <= 10; i++) {
                Row r = rows.get(i - 1);
                assertEquals("r-" + i, r.id());
                assertEquals(EmulatedRun.recordJson(i), r.record());
                if (i == 5) {
                    assertEquals("failed", r.status());
                    assertEquals("invalid_request_error", r.code());
                    assertEquals(1, r.attempts());
                } else {
                    assertEquals("succeeded", r.status(), "r-" + i);
                    assertEquals("\"[emulated] r-" + i + ": About item " + i + "\"", r.content());
                }
            }
            assertEquals(2, rows.get(1).attempts(), "r-2 failed once");
            assertEquals(2, rows.get(6).attempts(), "r-7 was dropped once");
            assertEquals(1, rows.get(0).attempts());
            // shard 3 (r-9, r-10) was the third batch and expired half-way
            assertEquals(1, rows.get(8).attempts());
            assertEquals(2, rows.get(9).attempts());
        }
    }
}
