package io.github.llmbatch.job;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.github.llmbatch.job.JobTestSupport.params;
import static io.github.llmbatch.job.JobTestSupport.writeRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk and a read-only one, for real: small tmpfs mounts (this needs root, as the build
 * container has; elsewhere the tests are skipped with one line saying so, and
 * {@code FailureReportTest} still checks how such an error reads).
 */
class FullDiskJobTest {

    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    /** A tmpfs of 64 KiB at {@code name} under the test's directory, read-only if asked. */
    private Path tmpfs(String name, boolean readOnly) throws Exception {
        Path at = Files.createDirectory(dir.resolve(name));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k" + (readOnly ? ",ro" : ""),
                "tmpfs", at.toString()).redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).trim();
        // CI runs as root on a machine that allows it: there a skip would only hide a broken set-up
        boolean mounted = mount.waitFor() == 0;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.assertTrue(mounted, "cannot mount a tmpfs under CI=true (" + said + ")");
        }
        Assumptions.assumeTrue(mounted, "skipped: cannot mount a tmpfs here (" + said + ")");
        mounts.add(at);
        return at;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path at : mounts) {
            new ProcessBuilder("umount", "-l", at.toString()).inheritIO().start().waitFor();
        }
    }

    private Properties job(int records) throws IOException {
        Path input = dir.resolve("in.jsonl");
        writeRecords(input, records);
        return params(dir, input);
    }

    @Test
    void aFullWorkDirectoryIsNamedWithTheReason() throws Exception {
        Path full = tmpfs("full", false);
        Properties p = job(50);
        p.setProperty("workDir", full.resolve("work").toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        String exit = execution.getExitStatus();
        assertTrue(exit.startsWith("FAILED: cannot write " + full.resolve("work") + "/instance-"), exit);
        assertTrue(exit.endsWith("/shards/custom-ids.bin: No space left on device"), exit);
        assertEquals(exit, FailureReasonJobTest.stepExitStatus(execution, "prepare"));
    }

    @Test
    void anOutputThatFillsTheDiskFailsTheMergeNamingTheFile() throws Exception {
        Path full = tmpfs("full", false);
        Properties p = job(500);
        Path output = full.resolve("out.jsonl");
        p.setProperty("output", output.toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: cannot write " + output + ": No space left on device", execution.getExitStatus());
        assertEquals(execution.getExitStatus(), FailureReasonJobTest.stepExitStatus(execution, "merge"));
    }

    @Test
    void aReadOnlyOutputLocationIsFoundBeforeAnythingIsRead() throws Exception {
        Path readOnly = tmpfs("ro", true);
        Properties p = job(5);
        Path output = readOnly.resolve("out.jsonl");
        p.setProperty("output", output.toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        assertEquals("FAILED: output " + output + ": its directory " + readOnly
                + " is not writable: Read-only file system", execution.getExitStatus());
        assertFalse(Files.exists(dir.resolve("work")), "nothing was prepared, nothing uploaded");
    }

    @Test
    void aReadOnlyWorkDirectoryIsNamedWithTheReason() throws Exception {
        Path readOnly = tmpfs("ro", true);
        Properties p = job(5);
        p.setProperty("workDir", readOnly.resolve("work").toString());

        JobExecution execution = JobRunner.run(p);

        assertEquals(BatchStatus.FAILED, execution.getBatchStatus());
        String exit = execution.getExitStatus();
        assertTrue(exit.startsWith("FAILED: "), exit);
        assertTrue(exit.contains(readOnly.resolve("work").toString()), exit);
        assertTrue(exit.endsWith("Read-only file system"), exit);
    }
}
