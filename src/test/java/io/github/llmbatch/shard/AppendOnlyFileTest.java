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
}
