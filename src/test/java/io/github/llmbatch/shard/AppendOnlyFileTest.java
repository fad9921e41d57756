package io.github.llmbatch.shard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppendOnlyFileTest {

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createTruncatesAnExistingFileAndMakesMissingDirectories() throws IOException {
        Path f = dir.resolve("a/b/out.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "old content");
        try (AppendOnlyFile file = AppendOnlyFile.create(f)) {
            assertEquals(0, file.position());
            file.writeLine(utf8("new"));
        }
        assertEquals("new\n", Files.readString(f));

        Path g = dir.resolve("x/y/z.txt");
        try (AppendOnlyFile file = AppendOnlyFile.create(g)) {
            file.write(utf8("z"));
        }
        assertEquals("z", Files.readString(g));
    }

    @Test
    void positionCountsBufferedBytesAndSyncWritesThem() throws IOException {
        Path f = dir.resolve("out.txt");
        try (AppendOnlyFile file = AppendOnlyFile.create(f)) {
            file.write(utf8("abc"));
            file.write((byte) '-');
            file.write(utf8("xyz123"), 3, 3);
            file.writeLine(utf8("é"));
            assertEquals(3 + 1 + 3 + 2 + 1, file.position());
            long synced = file.sync();
            assertEquals(10, synced);
            assertEquals("abc-123é\n", Files.readString(f, StandardCharsets.UTF_8));
        }
    }

    @Test
    void resumeTruncatesToTheCheckpointAndContinues() throws IOException {
        Path f = dir.resolve("out.txt");
        long checkpoint;
        try (AppendOnlyFile file = AppendOnlyFile.create(f)) {
            file.writeLine(utf8("one"));
            file.writeLine(utf8("two"));
            checkpoint = file.sync();
            file.writeLine(utf8("lost-after-checkpoint"));
        }
        assertEquals("one\ntwo\nlost-after-checkpoint\n", Files.readString(f));
        try (AppendOnlyFile file = AppendOnlyFile.resume(f, checkpoint)) {
            assertEquals(checkpoint, file.position());
            assertEquals(checkpoint, Files.size(f), "truncated as soon as it is reopened");
            file.writeLine(utf8("three"));
        }
        assertEquals("one\ntwo\nthree\n", Files.readString(f));
    }

    @Test
    void resumeAtTheExactEndKeepsEverything() throws IOException {
        Path f = dir.resolve("out.txt");
        Files.writeString(f, "kept\n");
        try (AppendOnlyFile file = AppendOnlyFile.resume(f, 5)) {
            file.writeLine(utf8("more"));
        }
        assertEquals("kept\nmore\n", Files.readString(f));
    }

    @Test
    void resumeRefusesAFileShorterThanItsCheckpointAndLeavesItAlone() throws IOException {
        Path f = dir.resolve("out.txt");
        Files.writeString(f, "short");
        IOException e = assertThrows(IOException.class, () -> AppendOnlyFile.resume(f, 6));
        assertTrue(e.getMessage().contains("5 bytes") && e.getMessage().contains("6"), e.getMessage());
        assertEquals("short", Files.readString(f));
    }

    @Test
    void resumeOfAMissingFileWithANonZeroCheckpointIsRefused() {
        Path f = dir.resolve("gone.txt");
        assertThrows(IOException.class, () -> AppendOnlyFile.resume(f, 10));
    }

    @Test
    void writesLargerThanTheBufferKeepTheirOrder() throws IOException {
        Path f = dir.resolve("big.bin");
        byte[] small = utf8("head");
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        byte[] almost = new byte[(1 << 16) - 2];
        java.util.Arrays.fill(almost, (byte) 'q');
        byte[] expected;
        try (AppendOnlyFile file = AppendOnlyFile.create(f)) {
            file.write(small);
            file.write(big);
            file.write(almost);
            file.write(small);
            file.write(big, 10, 70_000);
            file.write((byte) '!');
            assertEquals(4 + 200_000 + almost.length + 4 + 70_000 + 1, file.position());
        }
        java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
        want.writeBytes(small);
        want.writeBytes(big);
        want.writeBytes(almost);
        want.writeBytes(small);
        want.write(big, 10, 70_000);
        want.write('!');
        expected = want.toByteArray();
        assertArrayEquals(expected, Files.readAllBytes(f));
    }

    /**
     * Buffers written behind on a pool, several at once in flight, with lines of every size (some
     * larger than the buffer): the file, its checkpoints and its digest are what writing in the
     * caller's thread gives.
     */
    @Test
    void writingBehindOnAPoolKeepsOrderOffsetsAndDigest() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            Path behind = dir.resolve("behind.txt");
            Path inline = dir.resolve("inline.txt");
            Sha256 behindDigest = new Sha256();
            Sha256 inlineDigest = new Sha256();
            java.util.List<Long> behindOffsets = new java.util.ArrayList<>();
            java.util.List<Long> inlineOffsets = new java.util.ArrayList<>();
            try (AppendOnlyFile a = AppendOnlyFile.create(behind); AppendOnlyFile b = AppendOnlyFile.create(inline)) {
                a.writeBehind(pool);
                a.digestInto(behindDigest);
                b.digestInto(inlineDigest);
                java.util.Random random = new java.util.Random(7);
                for (int i = 0; i < 4000; i++) {
                    byte[] line = new byte[i % 500 == 0 ? (1 << 20) + random.nextInt(100_000) : random.nextInt(9000)];
                    java.util.Arrays.fill(line, (byte) ('a' + i % 26));
                    a.writeLine(line);
                    b.writeLine(line);
                    if (i % 700 == 0) {
                        behindOffsets.add(a.sync());
                        inlineOffsets.add(b.sync());
                        assertEquals(a.position(), Files.size(behind), "a checkpoint has everything written");
                    }
                }
                a.force();
                b.force();
            }
            assertEquals(inlineOffsets, behindOffsets);
            assertEquals(Files.size(inline), Files.size(behind));
            assertEquals(-1L, Files.mismatch(inline, behind));
            String digest = behindDigest.hex();
            assertEquals(inlineDigest.hex(), digest);
            assertEquals(Sha256.of(behind), digest);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A write that fails behind the caller is reported at the next checkpoint, naming the file. */
    @Test
    void aFailedWriteBehindIsReportedWithTheFile() throws IOException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            AppendOnlyFile full = AppendOnlyFile.create(Path.of("/dev/full"));
            full.writeBehind(pool);
            byte[] line = new byte[100_000];
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 40; i++) {
                    full.writeLine(line);
                }
                full.sync();
            });
            assertTrue(e.getMessage().contains("/dev/full") && e.getMessage().contains("No space left"), e.getMessage());
            // the file stays failed: nothing later pretends the bytes were written
            assertThrows(IOException.class, () -> full.writeLine(line));
            assertThrows(IOException.class, full::sync);
            assertThrows(IOException.class, full::close);
        } finally {
            pool.shutdownNow();
        }
    }
}
