package io.github.llmbatch.job;

import io.github.llmbatch.cost.Tokenizer;
import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.pipeline.FileRejects;
import io.github.llmbatch.pipeline.ParallelPreparer;
import io.github.llmbatch.pipeline.PrepareCheckpoint;
import io.github.llmbatch.pipeline.Prepared;
import io.github.llmbatch.pipeline.PreparedWriter;
import io.github.llmbatch.pipeline.RejectSink;
import io.github.llmbatch.pipeline.TableRejects;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.shard.ShardFile;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * prepare's writer: requests into rolling shards, rejects into the rejects file (or table). Its checkpoint
 * is byte offsets; on close it records the shards in the ledger. (close also runs when the
 * step fails; the restart then rewrites that record, and submit only runs after a prepare
 * that completed.)
 */
@Named
@Dependent
public class ShardItemWriter extends AbstractItemWriter {

    private static final Logger LOG = Logger.getLogger(ShardItemWriter.class.getName());

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
        writer = new PreparedWriter(run.paths().shardsDir(), rejects, s.shardLimits(), Tokenizer.forModel(s.model()),
                resume, PrepareWorkers.executor());
    }

    @Override
    public void writeItems(List<Object> items) throws Exception {
        List<Prepared> prepared = new ArrayList<>(items.size());
        for (Object item : items) {
            ParallelPreparer.PreparedRecord p = (ParallelPreparer.PreparedRecord) item;
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
            summary.inputTokens = writer.inputTokens();
            summary.inputTokensExact = writer.inputTokensExact();
            summary.maxOutputTokens = s.endpoint() == Endpoint.EMBEDDINGS ? Long.valueOf(0)
                    : s.maxTokens() == null ? null : (long) s.maxTokens() * writer.accepted();
            // bench/run reads token_count_s: the counting's share of prepare
            LOG.info(String.format(java.util.Locale.ROOT, "prepare: %d input tokens of %d requests (%s) token_count_s=%.3f",
                    summary.inputTokens, summary.requests, summary.inputTokensExact ? "exact" : "approximate",
                    writer.countingNanos() / 1e9));
            ledger.prepare = summary;
            InstanceLockListener.heldLock(jobContext).check();
            store.write(ledger);
        } finally {
            writer.close();
        }
    }
}
