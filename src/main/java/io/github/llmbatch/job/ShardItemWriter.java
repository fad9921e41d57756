package io.github.llmbatch.job;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.pipeline.FileRejects;
import io.github.llmbatch.pipeline.PrepareCheckpoint;
import io.github.llmbatch.pipeline.Prepared;
import io.github.llmbatch.pipeline.PreparedWriter;
import io.github.llmbatch.pipeline.RejectSink;
import io.github.llmbatch.pipeline.TableRejects;
import io.github.llmbatch.shard.ShardFile;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * prepare's writer: requests into rolling shards, rejects into the rejects file (or table). Its checkpoint
 * is byte offsets; on close it records the shards in the ledger. (close also runs when the
 * step fails; the restart then rewrites that record, and submit only runs after a prepare
 * that completed.)
 */
@Named
@Dependent
public class ShardItemWriter extends AbstractItemWriter {

    @Inject
    JobContext jobContext;

    private JobRun run;
    private PreparedWriter writer;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        run = JobRun.of(jobContext);
        JobSettings s = run.settings();
        PrepareCheckpoint resume = checkpoint == null ? PrepareCheckpoint.start() : (PrepareCheckpoint) checkpoint;
        RejectSink rejects = s.tableOutput()
                ? TableRejects.resume(DataSources.lookup(s.outputDataSource()), s.rejectsTable(), run.instanceId(),
                        resume.rejectsBytes())
                : FileRejects.resume(s.rejects(), resume.rejectsBytes());
        writer = new PreparedWriter(run.paths().shardsDir(), rejects, s.shardLimits(), resume);
    }

    @Override
    public void writeItems(List<Object> items) throws Exception {
        List<Prepared> prepared = new ArrayList<>(items.size());
        for (Object item : items) {
            FieldNames.PreparedItem p = (FieldNames.PreparedItem) item;
            p.newFieldNames().forEach(writer::addFieldName);
            prepared.add(p.prepared());
        }
        writer.write(prepared);
    }

    @Override
    public Serializable checkpointInfo() throws Exception {
        Serializable checkpoint = writer.checkpoint();
        CrashPoints.reach(CrashPoints.PREPARE_BEFORE_CHECKPOINT);
        return checkpoint;
    }

    @Override
    public void close() throws Exception {
        if (writer == null) {
            return;
        }
        try {
            List<ShardFile> shards = writer.finish();
            LedgerStore store = run.paths().ledgerStore();
            Ledger ledger = store.readOrCreate(run.instanceId());
            JobSettings s = run.settings();
            ledger.provider = s.provider();
            ledger.endpoint = s.endpointName();
            ledger.model = s.model();
            ledger.recordFields = writer.fieldNames();
            ledger.shards = new ArrayList<>();
            long bytes = 0;
            for (ShardFile f : shards) {
                Ledger.Shard shard = new Ledger.Shard();
                shard.index = f.index();
                shard.requestsFile = f.requestsFile();
                shard.recordsFile = f.recordsFile();
                shard.requests = f.requests();
                shard.bytes = f.bytes();
                shard.sha256 = f.sha256();
                ledger.shards.add(shard);
                bytes += f.bytes();
            }
            Ledger.PrepareSummary summary = new Ledger.PrepareSummary();
            summary.requests = writer.accepted();
            summary.rejects = writer.rejected();
            summary.inputRecords = writer.accepted() + writer.rejected();
            summary.requestBytes = bytes;
            ledger.prepare = summary;
            InstanceLockListener.heldLock(jobContext).check();
            store.write(ledger);
        } finally {
            writer.close();
        }
    }
}
