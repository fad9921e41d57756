package io.github.llmbatch.pipeline;

import io.github.llmbatch.MemoryTempDir;
import io.github.llmbatch.cost.Tokenizer;
import io.github.llmbatch.TestJson;
import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import io.github.llmbatch.shard.ShardFile;
import io.github.llmbatch.shard.ShardLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparedWriterTest {

    @TempDir(factory = MemoryTempDir.class)
    Path dir;

    static final ShardLimits LIMITS = new ShardLimits(7, 2_000, 50_000);
    static final Tokenizer TOKENIZER = Tokenizer.forModel("gpt-4o-mini");
    static final int CHUNK = 5;

    /** A prepared item and the field names the processor saw in it. */
    record Item(Prepared prepared, List<String> names) {
    }

    /**
     * 90 records: every 13th is broken JSON, every 10th repeats the id of the record 9 before it
     * (usually in an earlier shard), every 10th+5 repeats the id of the record 2 before it (usually
     * in the open shard). r-13 is broken, so the later record with id r-13 is not a duplicate.
     */
    static List<Item> items() {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("Q {{q}}"), null,
                null);
        RecordPreparer preparer = new RecordPreparer(spec, "id", new OpenAiProfile(), LIMITS);
        List<Item> items = new ArrayList<>();
        for (int i = 1; i <= 90; i++) {
            String id = i % 10 == 0 ? "r-" + (i - 9) : i % 10 == 5 && i > 5 ? "r-" + (i - 2) : "r-" + i;
            String text = i % 13 == 0 ? "{broken " + i
                    : "{\"id\":\"" + id + "\",\"q\":\"question " + i + " " + "w".repeat(i % 17) + "\""
                    + (i % 4 == 0 ? ",\"extra" + i % 8 + "\":true" : "") + "}";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            List<String> names = new ArrayList<>();
            Prepared p = preparer.prepare(new InputRecord(i, bytes, 0, bytes.length), names::add);
            items.add(new Item(p, names));
        }
        return items;
    }

    /** What a run left behind. */
    record Outcome(List<ShardFile> shards, byte[] rejects, long accepted, long rejected, List<String> fieldNames,
                   long inputTokens) {
    }

    private static void writeChunk(PreparedWriter w, List<Item> items, int chunk) throws IOException {
        List<Prepared> batch = new ArrayList<>();
        for (int i = chunk * CHUNK; i < Math.min(items.size(), (chunk + 1) * CHUNK); i++) {
            items.get(i).names().forEach(w::addFieldName);
            batch.add(items.get(i).prepared());
        }
        w.write(batch);
    }

    private static int chunks(List<Item> items) {
        return (items.size() + CHUNK - 1) / CHUNK;
    }

    private static Outcome finish(PreparedWriter w, Path rejects) throws IOException {
        List<ShardFile> shards = w.finish();
        Outcome o = new Outcome(shards, Files.readAllBytes(rejects), w.accepted(), w.rejected(), w.fieldNames(),
                w.inputTokens());
        w.close();
        return o;
    }

    private Outcome uninterrupted(Path run, List<Item> items) throws IOException {
        Path rejects = run.resolve("rejects.jsonl");
        PreparedWriter w = new PreparedWriter(run.resolve("shards"), rejects, LIMITS, TOKENIZER, PrepareCheckpoint.start());
        for (int c = 0; c < chunks(items); c++) {
            writeChunk(w, items, c);
            w.checkpoint();
        }
        return finish(w, rejects);
    }

    @Test
    void duplicatesAndRejectsGoToTheRejectsFile() throws IOException {
        List<Item> items = items();
        Outcome o = uninterrupted(dir.resolve("ref"), items);
        List<String> rejectLines = new String(o.rejects(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(o.rejected(), rejectLines.size());
        assertEquals(90, o.accepted() + o.rejected());

        List<Long> broken = new ArrayList<>();
        List<Long> duplicates = new ArrayList<>();
        for (String line : rejectLines) {
            Map<String, Object> r = TestJson.object(line);
            long n = Long.parseLong(((TestJson.Num) r.get("line")).text());
            String reason = (String) r.get("reason");
            if (reason.startsWith("duplicate id")) {
                duplicates.add(n);
                assertEquals("duplicate id '" + r.get("id") + "'", reason);
                assertTrue(((String) r.get("input")).startsWith("{\"id\":\"" + r.get("id") + "\""), line);
            } else {
                broken.add(n);
                assertTrue(reason.startsWith("not valid JSON"), reason);
                assertEquals("{broken " + n, r.get("input"));
            }
        }
        assertEquals(List.of(13L, 26L, 39L, 52L, 65L, 78L), broken);
        // 10,20,...,90 repeat i-9; 15,25,...,85 repeat i-2, except 15 (r-13 was broken, so it is new)
        // and 65 (broken itself)
        assertEquals(List.of(10L, 20L, 25L, 30L, 35L, 40L, 45L, 50L, 55L, 60L, 70L, 75L, 80L, 85L, 90L),
                duplicates);

        long requests = 0;
        for (ShardFile s : o.shards()) {
            requests += s.requests();
            assertTrue(s.requests() <= 7);
        }
        assertEquals(o.accepted(), requests);
        assertEquals(List.of("id", "q", "extra4", "extra0"), o.fieldNames());
    }

    @Test
    void resumeAfterACrashGivesTheSameShardsRejectsAndCounts() throws Exception {
        List<Item> items = items();
        Outcome expected = uninterrupted(dir.resolve("ref"), items);
        int chunks = chunks(items);

        for (int lost : new int[] {0, 1, 3}) {
            for (int cut = 0; cut <= chunks; cut++) {
                Path run = dir.resolve("cut-" + cut + "-lost-" + lost);
                Path shardDir = run.resolve("shards");
                Path rejects = run.resolve("rejects.jsonl");
                PreparedWriter first = new PreparedWriter(shardDir, rejects, LIMITS, TOKENIZER,
                        PrepareCheckpoint.start());
                PrepareCheckpoint checkpoint = PrepareCheckpoint.start();
                for (int c = 0; c < cut; c++) {
                    writeChunk(first, items, c);
                    checkpoint = first.checkpoint();
                }
                for (int c = cut; c < Math.min(chunks, cut + lost); c++) {
                    writeChunk(first, items, c); // written, never checkpointed
                }
                if (cut % 2 == 1) {
                    first.finish(); // a failing step still closes its writer, which finishes the shard
                }
                first.close();

                PreparedWriter resumed = new PreparedWriter(shardDir, rejects, LIMITS, TOKENIZER,
                        roundTrip(checkpoint));
                for (int c = cut; c < chunks; c++) {
                    writeChunk(resumed, items, c);
                    resumed.checkpoint();
                }
                Outcome actual = finish(resumed, rejects);

                String where = "cut " + cut + " lost " + lost;
                assertEquals(expected.accepted(), actual.accepted(), where);
                assertEquals(expected.rejected(), actual.rejected(), where);
                assertEquals(expected.fieldNames(), actual.fieldNames(), where);
                assertTrue(expected.inputTokens() > 0);
                assertEquals(expected.inputTokens(), actual.inputTokens(), where);
                assertEquals(new String(expected.rejects(), StandardCharsets.UTF_8),
                        new String(actual.rejects(), StandardCharsets.UTF_8), where);
                assertEquals(expected.shards().size(), actual.shards().size(), where);
                for (int s = 0; s < expected.shards().size(); s++) {
                    ShardFile e = expected.shards().get(s);
                    ShardFile a = actual.shards().get(s);
                    assertEquals(List.of(e.index(), e.requests(), e.bytes(), e.sha256()),
                            List.of(a.index(), a.requests(), a.bytes(), a.sha256()), where);
                    assertArrayEquals(Files.readAllBytes(Path.of(e.requestsFile())),
                            Files.readAllBytes(Path.of(a.requestsFile())), where);
                    assertArrayEquals(Files.readAllBytes(Path.of(e.recordsFile())),
                            Files.readAllBytes(Path.of(a.recordsFile())), where);
                }
                assertEquals(names(dir.resolve("ref/shards")), names(shardDir), where);
            }
        }
    }

    @Test
    void anIdWrittenBeforeTheCheckpointIsStillADuplicateAfterTheRestart() throws Exception {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, Template.parse("{{q}}"), null, null);
        RecordPreparer preparer = new RecordPreparer(spec, "id", new OpenAiProfile(), LIMITS);
        Path shardDir = dir.resolve("shards");
        Path rejects = dir.resolve("rejects.jsonl");
        PreparedWriter w = new PreparedWriter(shardDir, rejects, LIMITS, TOKENIZER, PrepareCheckpoint.start());
        List<Prepared> firstPart = new ArrayList<>();
        for (int i = 1; i <= 9; i++) { // shard 1 full with 7, shard 2 open with 2
            firstPart.add(prepare(preparer, i, "a-" + i));
        }
        w.write(firstPart);
        PrepareCheckpoint cp = w.checkpoint();
        w.write(List.of(prepare(preparer, 10, "lost-1")));
        w.close();

        PreparedWriter resumed = new PreparedWriter(shardDir, rejects, LIMITS, TOKENIZER, roundTrip(cp));
        resumed.write(List.of(prepare(preparer, 10, "lost-1"), prepare(preparer, 11, "a-3"),
                prepare(preparer, 12, "a-9"), prepare(preparer, 13, "lost-1"), prepare(preparer, 14, "new")));
        List<ShardFile> shards = resumed.finish();
        resumed.close();

        assertEquals(14, resumed.accepted() + resumed.rejected());
        assertEquals(11, resumed.accepted());
        assertEquals(3, resumed.rejected());
        List<String> reasons = Files.readAllLines(rejects).stream()
                .map(l -> TestJson.object(l).get("line") + " " + TestJson.object(l).get("reason")).toList();
        assertEquals(List.of("Num[text=11] duplicate id 'a-3'", "Num[text=12] duplicate id 'a-9'",
                "Num[text=13] duplicate id 'lost-1'"), reasons);
        assertEquals(List.of(7L, 4L), shards.stream().map(ShardFile::requests).toList());
    }

    private static Prepared prepare(RecordPreparer preparer, long line, String id) {
        byte[] b = ("{\"id\":\"" + id + "\",\"q\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        return preparer.prepare(new InputRecord(line, b, 0, b.length), n -> { });
    }

    /** The batch runtime stores checkpoints serialized. */
    private static PrepareCheckpoint roundTrip(PrepareCheckpoint cp) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(cp);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            PrepareCheckpoint back = (PrepareCheckpoint) in.readObject();
            assertEquals(cp, back);
            return back;
        }
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
