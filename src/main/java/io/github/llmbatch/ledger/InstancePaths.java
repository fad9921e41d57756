package io.github.llmbatch.ledger;

import java.nio.file.Path;

/** Where one job instance keeps its files below the work directory. */
public record InstancePaths(Path dir) {

    public static InstancePaths of(Path workDir, long jobInstanceId) {
        return new InstancePaths(workDir.toAbsolutePath().normalize().resolve("instance-" + jobInstanceId));
    }

    public Path ledgerFile() {
        return dir.resolve(LedgerStore.FILE_NAME);
    }

    public Path shardsDir() {
        return dir.resolve("shards");
    }

    public Path resultsDir() {
        return dir.resolve("results");
    }

    public LedgerStore ledgerStore() {
        return new LedgerStore(dir);
    }
}
