package io.github.llmbatch.pipeline;

import io.github.llmbatch.input.InputFormat;
import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.input.InputSource;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelPreparerTest {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
    private static final Supplier<RecordPreparer> PREPARER = () -> new RecordPreparer(RecordPreparerTest.CHAT, "id",
            new OpenAiProfile(), RecordPreparerTest.LIMITS);

    @TempDir
    Path dir;

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    /** Records over several blocks, some rejected, some with fields first seen late. */
    private Path input(int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (i % 997 == 0) {
                lines.add("{not json " + i);
            } else if (i == 2500) {
                lines.add("{\"id\":\"r" + i + "\",\"queue\":\"q\",\"subject\":\"s\",\"body\":\"b\",\"late\":1}");
            } else {
                lines.add("{\"id\":\"r" + i + "\",\"queue\":\"q" + i % 3 + "\",\"subject\":\"s" + i
                        + "\",\"body\":\"b\\n" + "x".repeat(i % 50) + "\"" + (i % 2 == 0 ? ",\"even\":true" : "") + "}");
            }
        }
        Path file = dir.resolve("in.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** What one preparer on this thread makes of the records, with each record's new field names. */
    private static List<ParallelPreparer.PreparedRecord> sequential(Path file) throws IOException {
        List<ParallelPreparer.PreparedRecord> out = new ArrayList<>();
        RecordPreparer preparer = PREPARER.get();
        Set<String> seen = new LinkedHashSet<>();
        try (InputSource source = InputFormat.JSONL.open(file, null)) {
            InputRecord record;
            while ((record = source.next()) != null) {
                List<String> fresh = new ArrayList<>();
                Prepared p = preparer.prepare(record, name -> {
                    if (seen.add(name)) {
                        fresh.add(name);
                    }
                });
                out.add(new ParallelPreparer.PreparedRecord(p, fresh, 0));
            }
        }
        return out;
    }

    private static void assertSame(ParallelPreparer.PreparedRecord expected, Prepared actual) {
        assertEquals(expected.prepared().line(), actual.line());
        if (expected.prepared() instanceof Prepared.Request e) {
            Prepared.Request a = assertInstanceOf(Prepared.Request.class, actual);
            assertArrayEquals(e.requestLine(), a.requestLine());
            assertArrayEquals(e.recordLine(), a.recordLine());
            assertEquals(e.fingerprint(), a.fingerprint());
        } else {
            assertEquals(expected.prepared(), actual);
        }
    }

    @Test
    void recordsComeBackInInputOrderAsOneThreadWouldMakeThem() throws IOException {
        Path file = input(5000);
        List<ParallelPreparer.PreparedRecord> expected = sequential(file);
        List<String> names = new ArrayList<>();
        List<String> expectedNames = new ArrayList<>();
        try (ParallelPreparer parallel = new ParallelPreparer(InputFormat.JSONL.open(file, null), PREPARER, POOL, 3)) {
            for (ParallelPreparer.PreparedRecord e : expected) {
                ParallelPreparer.PreparedRecord a = parallel.next();
                assertSame(e, a.prepared());
                names.addAll(a.newFieldNames());
                expectedNames.addAll(e.newFieldNames());
            }
            assertNull(parallel.next());
        }
        // each block reports its own first sightings; the writer's set keeps the first of each, in order
        assertEquals(expectedNames, List.copyOf(new LinkedHashSet<>(names)));
        assertEquals(List.of("id", "queue", "subject", "body", "late", "even").stream().sorted().toList(),
                expectedNames.stream().sorted().toList());
    }

    @Test
    void theCheckpointIsAfterTheLastRecordHandedOnSoAResumeLosesAndRepeatsNothing() throws IOException {
        Path file = input(5000);
        List<ParallelPreparer.PreparedRecord> expected = sequential(file);
        for (int cut : new int[] {1, 1023, 1024, 1025, 3333}) {
            List<Prepared> got = new ArrayList<>();
            Serializable checkpoint;
            try (ParallelPreparer first = new ParallelPreparer(InputFormat.JSONL.open(file, null), PREPARER, POOL, 2)) {
                for (int i = 0; i < cut; i++) {
                    got.add(first.next().prepared());
                }
                checkpoint = first.checkpoint(); // blocks beyond it were prepared ahead, and are dropped
            }
            try (ParallelPreparer resumed = new ParallelPreparer(InputFormat.JSONL.open(file, checkpoint), PREPARER,
                    POOL, 2)) {
                ParallelPreparer.PreparedRecord r;
                while ((r = resumed.next()) != null) {
                    got.add(r.prepared());
                }
            }
            assertEquals(expected.size(), got.size(), "cut at " + cut);
            for (int i = 0; i < got.size(); i++) {
                assertSame(expected.get(i), got.get(i));
            }
        }
    }

    @Test
    void aSourceFailureComesAfterTheRecordsReadBeforeIt() throws IOException {
        Path file = input(3000);
        InputSource failing = new InputSource() {
            private final InputSource inner = InputFormat.JSONL.open(file, null);
            private int read;

            @Override
            public InputRecord next() throws IOException {
                if (read == 2100) {
                    throw new IOException("disk gone");
                }
                read++;
                return inner.next();
            }

            @Override
            public Serializable checkpoint() {
                return inner.checkpoint();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
        try (ParallelPreparer parallel = new ParallelPreparer(failing, PREPARER, POOL, 2)) {
            for (int i = 1; i <= 2100; i++) {
                assertEquals(i, parallel.next().prepared().line());
            }
            assertEquals("disk gone", assertThrows(IOException.class, parallel::next).getMessage());
        }
    }

    @Test
    void aPreparerFailureIsRaisedToTheCaller() throws IOException {
        Path file = input(10);
        Supplier<RecordPreparer> broken = () -> {
            throw new IllegalStateException("no preparer");
        };
        try (ParallelPreparer parallel = new ParallelPreparer(InputFormat.JSONL.open(file, null), broken, POOL, 2)) {
            assertEquals("no preparer", assertThrows(IllegalStateException.class, parallel::next).getMessage());
        }
    }
}
