package io.github.llmbatch.it;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What reaches the disk is only visible to the kernel, so the packaged command runs under
 * {@code strace}, which records each {@code fdatasync}/{@code fsync} with the file it forces and
 * each rename: every file of every shard the ledger records is forced before the ledger that
 * records it is renamed into place, and exactly once (checkpoints in mid-shard are not forced).
 */
class ShardDurabilityIT {

    private static final Pattern FORCE = Pattern.compile("^\\d+ +f(?:data)?sync\\(\\d+<([^>]+)>");
    private static final Pattern RENAME = Pattern.compile("^\\d+ +rename(?:at2?)?\\(.*\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void eachFinishedShardIsForcedOnceBeforeTheLedgerRecordsIt() throws Exception {
        // .ci/run installs strace, so under CI=true a skip would only hide a broken set-up
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assumeTrue(ci || straceWorks(), "strace cannot trace here (not installed, or ptrace not allowed): skipped");
        Path input = dir.resolve("in.jsonl");
        StringBuilder records = new StringBuilder();
        for (int i = 1; i <= 24_000; i++) {
            records.append("{\"id\":\"d-").append(i).append("\",\"text\":\"record ").append(i).append("\"}\n");
        }
        Files.writeString(input, records, StandardCharsets.UTF_8);
        Path props = dir.resolve("job.properties");
        // 8,000 requests a shard, checkpoints every 20,000 records: the checkpoint falls in mid-shard
        Files.writeString(props, String.join("\n", "input=" + input, "output=" + dir.resolve("out.jsonl"),
                "workDir=" + dir.resolve("work"), "baseUrl=embedded", "model=gpt-4o-mini",
                "userTemplate=About {{text}}", "maxRequestsPerFile=8000", "dryRun=true", ""));
        Path trace = dir.resolve("strace.txt");

        Dist.Result run = new Dist(dir).env("OPENAI_API_KEY", "sk-test-durable")
                .wrappedIn("strace", "-f", "--seccomp-bpf", "--quiet=all", "-e", "signal=none", "-y",
                        "-e", "trace=fdatasync,fsync,rename,renameat,renameat2", "-o", trace.toString())
                .run(Duration.ofMinutes(3), "run", props.toString());

        assertEquals(0, run.exitCode(), run.output());
        Ledger ledger = CrashRestartIT.ledgerIn(dir.resolve("work"));
        assertEquals(3, ledger.shards.size());
        String ledgerFile = CrashRestartIT.instanceDir(dir.resolve("work")).resolve(LedgerStore.FILE_NAME).toString();
        Map<String, List<Integer>> forces = new TreeMap<>();
        int ledgerRenamed = -1;
        List<String> lines = Files.readAllLines(trace);
        for (int n = 0; n < lines.size(); n++) {
            Matcher force = FORCE.matcher(lines.get(n));
            Matcher rename = RENAME.matcher(lines.get(n));
            if (force.find()) {
                forces.computeIfAbsent(force.group(1), f -> new ArrayList<>()).add(n);
            } else if (rename.find() && rename.group(1).equals(ledgerFile)) {
                ledgerRenamed = n; // the last one: a dry run's ledger records the shards when prepare ends
            }
        }
        assertTrue(ledgerRenamed > 0, "the ledger was renamed into place:\n" + String.join("\n", lines));
        for (Ledger.Shard shard : ledger.shards) {
            for (String file : List.of(shard.requestsFile, shard.recordsFile)) {
                List<Integer> at = forces.getOrDefault(file, List.of());
                assertEquals(1, at.size(), file + " forced once, not at every checkpoint: " + forces.keySet());
                assertTrue(at.get(0) < ledgerRenamed, file + " forced before the ledger recording it was renamed");
            }
        }
    }

    private static boolean straceWorks() {
        try {
            return new ProcessBuilder("strace", "-f", "--seccomp-bpf", "-o", "/dev/null", "-e", "trace=none", "true")
                    .redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
