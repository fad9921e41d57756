package io.github.llmbatch.job;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.merge.MergedOutput;
import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.merge.MergedTableWriter;
import io.github.llmbatch.merge.MergedWriter;
import io.github.llmbatch.request.ResponseSchema;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/**
 * merge's writer: the output file (JSONL, or CSV by name), its checkpoint a byte offset; or the
 * output table, its checkpoint a row count.
 */
@Named
@Dependent
public class MergeItemWriter extends AbstractItemWriter {

    @Inject
    JobContext jobContext;

    private MergedOutput writer;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        JobRun run = JobRun.of(jobContext);
        JobSettings s = run.settings();
        long position = checkpoint == null ? 0 : (Long) checkpoint;
        ResponseSchema schema = s.schema();
        List<String> answerFields = schema == null ? null : schema.properties();
        writer = s.tableOutput()
                ? MergedTableWriter.open(DataSources.lookup(s.outputDataSource()), s.outputTable(), position,
                        answerFields == null ? List.of() : answerFields)
                : MergedWriter.open(s.output(), position, run.ledger().recordFields, answerFields);
    }

    @Override
    public void writeItems(List<Object> items) throws Exception {
        for (Object item : items) {
            writer.write((MergedRecord) item);
        }
    }

    @Override
    public Serializable checkpointInfo() throws Exception {
        Serializable checkpoint = writer.sync();
        CrashPoints.reach(CrashPoints.MERGE_BEFORE_CHECKPOINT);
        return checkpoint;
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
