package io.github.llmbatch.shard;

import org.junit.jupiter.api.Test;
import io.github.llmbatch.MemoryTempDir;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardWriterTest {

    @TempDir(factory = MemoryTempDir.class)
    Path dir;

    /** One request for the writer: its line, its record line, its embedding inputs. */
    record Item(byte[] request, byte[] record, int inputs) {
    }

    /**
     * Deterministic items in three phases of 40, so that each limit of {@link #SMALL} is the one that
     * binds in turn: short chat lines (request count), long chat lines (bytes), short embedding lines
     * with 2 or 3 inputs each (embedding inputs).
     */
    static List<Item> items(int n) {
        List<Item> items = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int phase = (i - 1) / 40 % 3;
            String id = "r-" + i;
            int bodyLength = phase == 1 ? 100 + (i * 37) % 120 : (i * 7) % 20;
            int inputs = phase == 2 ? 2 + i % 2 : 0;
            String request = "{\"custom_id\":\"" + id + "\",\"body\":\"" + "x".repeat(bodyLength) + "\"}";
            byte[] recordJson = ("{\"id\":\"" + id + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            byte[] record = RecordLines.encode(i, id, id, recordJson, 0, recordJson.length);
            items.add(new Item(request.getBytes(StandardCharsets.UTF_8), record, inputs));
        }
        return items;
    }

    static final ShardLimits SMALL = new ShardLimits(7, 600, 10);

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<ShardFile> writeAll(Path shardDir, ShardLimits limits, List<Item> items) throws IOException {
        List<ShardFile> shards;
        try (ShardWriter w = new ShardWriter(shardDir, limits, ShardPosition.start())) {
            for (Item item : items) {
                w.add(item.request(), item.record(), item.inputs());
            }
            shards = w.finish();
        }
        return shards;
    }

    private static List<String> listing(Path shardDir) throws IOException {
        try (Stream<Path> files = Files.list(shardDir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theDigestMadeOnOtherThreadsIsTheFilesAcrossBuffersAndResumes() throws Exception {
        // lines from a few bytes to several buffers long, so buffer-fulls and direct writes interleave
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int length = i % 500 == 7 ? 200_000 + i : 10 + (i * 131) % 3000;
            lines.add(("{\"custom_id\":\"r" + i + "\",\"x\":\"" + "é".repeat(length / 2) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        byte[] record = "{}".getBytes(StandardCharsets.UTF_8);
        ShardLimits limits = new ShardLimits(1100, 64L << 20, 10);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<ShardFile> shards;
            ShardPosition cut;
            try (ShardWriter w = new ShardWriter(dir, limits, ShardPosition.start(), pool)) {
                for (int i = 0; i < 1500; i++) {
                    w.add(lines.get(i), record, 0);
                }
                cut = w.position();
                // the first shard was forced and closed behind the writer: the checkpoint counts it
                // only once that is done, with its size and digest
                assertEquals(1, cut.finished().size());
                ShardFile first = cut.finished().get(0);
                assertEquals(Files.size(Path.of(first.requestsFile())), first.bytes());
                assertEquals(sha256(Path.of(first.requestsFile())), first.sha256());
                assertEquals(1100, Files.readAllLines(Path.of(first.recordsFile())).size());
                w.add(lines.get(1500), record, 0); // written after the checkpoint: dropped by the resume
            }
            try (ShardWriter w = new ShardWriter(dir, limits, cut, pool)) {
                for (int i = 1500; i < lines.size(); i++) {
                    w.add(lines.get(i), record, 0);
                }
                shards = w.finish();
            }
            assertEquals(3, shards.size());
            for (ShardFile shard : shards) {
                assertEquals(sha256(Path.of(shard.requestsFile())), shard.sha256(), shard.requestsFile());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rollsAtEveryLimitAndNeverEarly() throws Exception {
        List<Item> items = items(120);
        List<ShardFile> shards = writeAll(dir, SMALL, items);
        assertTrue(shards.size() > 10, "rolls many times: " + shards.size());

        int next = 0;
        boolean sawRequestRoll = false;
        boolean sawByteRoll = false;
        boolean sawInputRoll = false;
        for (int s = 0; s < shards.size(); s++) {
            ShardFile shard = shards.get(s);
            assertEquals(s + 1, shard.index());
            Path requests = Path.of(shard.requestsFile());
            Path records = Path.of(shard.recordsFile());
            assertTrue(requests.isAbsolute() && records.isAbsolute());
            assertEquals(ShardWriter.requestsFile(dir, s + 1).toAbsolutePath(), requests);
            assertEquals(ShardWriter.recordsFile(dir, s + 1).toAbsolutePath(), records);

            List<String> requestLines = Files.readAllLines(requests);
            List<String> recordLines = Files.readAllLines(records);
            assertEquals(shard.requests(), requestLines.size());
            assertEquals(requestLines.size(), recordLines.size());
            assertEquals(Files.size(requests), shard.bytes());
            assertEquals(sha256(requests), shard.sha256());

            long bytes = 0;
            long inputs = 0;
            for (int i = 0; i < requestLines.size(); i++) {
                Item item = items.get(next++);
                assertEquals(new String(item.request(), StandardCharsets.UTF_8), requestLines.get(i));
                assertEquals(new String(item.record(), StandardCharsets.UTF_8), recordLines.get(i));
                bytes += item.request().length + 1;
                inputs += item.inputs();
            }
            assertTrue(shard.requests() <= SMALL.maxRequests(), "shard " + shard.index() + " requests");
            assertTrue(bytes <= SMALL.maxBytes(), "shard " + shard.index() + " bytes " + bytes);
            assertTrue(inputs <= SMALL.maxEmbeddingInputs(), "shard " + shard.index() + " inputs " + inputs);
            if (s < shards.size() - 1) {
                Item following = items.get(next);
                boolean requestFull = shard.requests() == SMALL.maxRequests();
                boolean bytesFull = bytes + following.request().length + 1 > SMALL.maxBytes();
                boolean inputsFull = inputs + following.inputs() > SMALL.maxEmbeddingInputs();
                assertTrue(requestFull || bytesFull || inputsFull, "shard " + shard.index() + " rolled early");
                sawRequestRoll |= requestFull && !bytesFull && !inputsFull;
                sawByteRoll |= bytesFull && !requestFull && !inputsFull;
                sawInputRoll |= inputsFull && !requestFull && !bytesFull;
            }
        }
        assertEquals(items.size(), next, "every item written exactly once");
        assertTrue(sawRequestRoll && sawByteRoll && sawInputRoll,
                "the data exercises each limit alone: " + sawRequestRoll + sawByteRoll + sawInputRoll);
        assertEquals(shards.size() * 2, listing(dir).size(), "no empty shard left behind");
    }

    @Test
    void aLineExactlyAsLargeAsTheByteLimitFitsAndOneByteMoreIsRefused() throws IOException {
        ShardLimits limits = new ShardLimits(100, 21, 100);
        byte[] exact = "{\"custom_id\":\"a\"}xyz".getBytes(StandardCharsets.UTF_8); // 20 bytes + \n = 21
        assertEquals(20, exact.length);
        assertTrue(limits.fits(exact.length));
        assertFalse(limits.fits(exact.length + 1));
        byte[] record = "{}".getBytes(StandardCharsets.UTF_8);
        try (ShardWriter w = new ShardWriter(dir, limits, ShardPosition.start())) {
            w.add(exact, record, 0);
            w.add(exact, record, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.add(new byte[21], record, 0));
            assertTrue(e.getMessage().contains("22 bytes") && e.getMessage().contains("21"), e.getMessage());
            List<ShardFile> shards = w.finish();
            assertEquals(2, shards.size(), "each full-size line gets its own shard");
            assertEquals(List.of(1L, 1L), shards.stream().map(ShardFile::requests).toList());
            assertEquals(List.of(21L, 21L), shards.stream().map(ShardFile::bytes).toList());
        }
    }

    @Test
    void aRequestWithMoreInputsThanTheLimitStillGetsAShardOfItsOwn() throws IOException {
        // the inputs limit is checked only against a non-empty shard, so no endless rolling
        ShardLimits limits = new ShardLimits(100, 10_000, 2);
        byte[] record = "{}".getBytes(StandardCharsets.UTF_8);
        try (ShardWriter w = new ShardWriter(dir, limits, ShardPosition.start())) {
            w.add("{\"a\":1}".getBytes(StandardCharsets.UTF_8), record, 1);
            w.add("{\"a\":2}".getBytes(StandardCharsets.UTF_8), record, 5);
            w.add("{\"a\":3}".getBytes(StandardCharsets.UTF_8), record, 1);
            List<ShardFile> shards = w.finish();
            assertEquals(List.of(1L, 1L, 1L), shards.stream().map(ShardFile::requests).toList());
        }
    }

    @Test
    void finishWithNothingWrittenLeavesNoFiles() throws IOException {
        try (ShardWriter w = new ShardWriter(dir, SMALL, ShardPosition.start())) {
            assertEquals(List.of(), w.finish());
        }
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void shardLimitsRefuseNonPositiveValues() {
        assertThrows(IllegalArgumentException.class, () -> new ShardLimits(0, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new ShardLimits(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ShardLimits(1, 100, 0));
    }

    /**
     * The crash test: checkpoint after {@code cut} items, write {@code lost} more (they reach the
     * disk, possibly into later shards), abandon the writer, resume from the checkpoint and write the
     * rest. The result must be byte-identical to a run without the crash. Cut points: the ends, and
     * around the first shard boundaries of each limit (every sync is an fsync, so not every item).
     */
    @ParameterizedTest(name = "lost writes after the checkpoint: {0}")
    @ValueSource(ints = {0, 1, 9, 30})
    void resumeFromACheckpointIsByteIdenticalToAnUninterruptedRun(int lost) throws Exception {
        List<Item> items = items(120);
        Path reference = dir.resolve("reference");
        List<ShardFile> expected = writeAll(reference, SMALL, items);
        assertEquals(30, expected.size(), "the 120 items roll into 30 shards under SMALL's limits");
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>(List.of(0, 1, 119, 120));
        long boundary = 0;
        for (ShardFile shard : expected) {
            boundary += shard.requests();
            if (shard.index() <= 2 || shard.index() == 8 || shard.index() == expected.size() - 3) {
                for (long c = boundary - 1; c <= boundary + 1; c++) {
                    cuts.add((int) Math.min(items.size(), c));
                }
            }
        }

        for (int cut : cuts) {
            Path crashed = dir.resolve("cut-" + cut + "-lost-" + lost);
            ShardPosition checkpoint;
            ShardWriter first = new ShardWriter(crashed, SMALL, ShardPosition.start());
            for (int i = 0; i < cut; i++) {
                first.add(items.get(i).request(), items.get(i).record(), items.get(i).inputs());
            }
            checkpoint = first.position();
            for (int i = cut; i < Math.min(items.size(), cut + lost); i++) {
                first.add(items.get(i).request(), items.get(i).record(), items.get(i).inputs());
            }
            if (cut % 2 == 0) {
                first.position(); // the lost work reached the disk before the crash
            }
            first.close(); // releases the files; what follows the checkpoint stays on disk

            List<ShardFile> actual;
            try (ShardWriter resumed = new ShardWriter(crashed, SMALL, checkpoint)) {
                for (int i = cut; i < items.size(); i++) {
                    resumed.add(items.get(i).request(), items.get(i).record(), items.get(i).inputs());
                }
                actual = resumed.finish();
            }
            String where = "cut " + cut + ", lost " + lost;
            assertEquals(listing(reference), listing(crashed), where);
            assertEquals(expected.size(), actual.size(), where);
            for (int s = 0; s < expected.size(); s++) {
                ShardFile e = expected.get(s);
                ShardFile a = actual.get(s);
                assertEquals(e.index(), a.index(), where);
                assertEquals(e.requests(), a.requests(), where);
                assertEquals(e.bytes(), a.bytes(), where);
                assertEquals(e.sha256(), a.sha256(), where + " shard " + e.index());
                assertEquals(sha256(Path.of(a.requestsFile())), a.sha256(), where + " shard " + e.index());
                assertArrayEquals(Files.readAllBytes(Path.of(e.requestsFile())),
                        Files.readAllBytes(Path.of(a.requestsFile())), where);
                assertArrayEquals(Files.readAllBytes(Path.of(e.recordsFile())),
                        Files.readAllBytes(Path.of(a.recordsFile())), where);
            }
        }
    }

    @Test
    void checkpointSurvivesSerialization() throws Exception {
        List<Item> items = items(20);
        ShardPosition p;
        try (ShardWriter w = new ShardWriter(dir, SMALL, ShardPosition.start())) {
            for (Item item : items) {
                w.add(item.request(), item.record(), item.inputs());
            }
            p = w.position();
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(p, in.readObject());
        }
        // 20 short chat lines, 7 a shard: two finished, the third open with the last 6
        assertEquals(List.of(7L, 7L), p.finished().stream().map(ShardFile::requests).toList());
        assertEquals(3, p.openIndex());
        assertEquals(6, p.requests());
        List<Item> open = items.subList(14, 20);
        assertEquals(open.stream().mapToLong(i -> i.request().length + 1).sum(), p.requestBytes());
        assertEquals(open.stream().mapToLong(i -> i.record().length + 1).sum(), p.recordBytes());
    }

    @Test
    void resumeRefusesAnOpenShardShorterThanItsCheckpoint() throws Exception {
        List<Item> items = items(10);
        ShardPosition p;
        ShardWriter w = new ShardWriter(dir, SMALL, ShardPosition.start());
        for (Item item : items) {
            w.add(item.request(), item.record(), item.inputs());
        }
        p = w.position();
        w.close();
        Path open = ShardWriter.requestsFile(dir, p.openIndex());
        byte[] content = Files.readAllBytes(open);
        Files.write(open, java.util.Arrays.copyOf(content, content.length - 1));
        assertThrows(IOException.class, () -> new ShardWriter(dir, SMALL, p));
    }
}
