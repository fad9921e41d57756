package io.github.llmbatch.cli.testjob;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Path;

/** Writes a ledger like the real job's: every record prepared into one shard, its batch completed. */
@Dependent
@Named("cliTestLedgerWritingBatchlet")
public class LedgerWritingBatchlet extends AbstractBatchlet {

    @Inject
    JobContext job;

    @Inject
    @BatchProperty
    String workDir;

    @Inject
    @BatchProperty
    String records;

    @Override
    public String process() {
        long count = Long.parseLong(records);
        InstancePaths paths = InstancePaths.of(Path.of(workDir), job.getInstanceId());
        Ledger ledger = paths.ledgerStore().readOrCreate(job.getInstanceId());
        ledger.prepare = new Ledger.PrepareSummary();
        ledger.prepare.inputRecords = count;
        ledger.prepare.requests = count;
        Ledger.Shard shard = new Ledger.Shard();
        shard.index = 0;
        shard.requests = count;
        ledger.shards.add(shard);
        Ledger.Attempt attempt = new Ledger.Attempt();
        attempt.shard = 0;
        attempt.attempt = 1;
        attempt.requests = count;
        attempt.status = "completed";
        attempt.resolved = true;
        ledger.attempts.add(attempt);
        paths.ledgerStore().write(ledger);
        return "LEDGER_WRITTEN";
    }
}
