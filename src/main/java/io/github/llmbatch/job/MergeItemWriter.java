package io.github.llmbatch.job;

import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.merge.MergedWriter;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/** merge's writer: the output file (JSONL, or CSV by name); its checkpoint is a byte offset. */
@Named
@Dependent
public class MergeItemWriter extends AbstractItemWriter {

    @Inject
    JobContext jobContext;

    private MergedWriter writer;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        JobRun run = JobRun.of(jobContext);
        writer = MergedWriter.open(run.settings().output(), checkpoint == null ? 0 : (Long) checkpoint,
                run.ledger().recordFields);
    }

    @Override
    public void writeItems(List<Object> items) throws Exception {
        for (Object item : items) {
            writer.write((MergedRecord) item);
        }
    }

    @Override
    public Serializable checkpointInfo() throws Exception {
        return writer.sync();
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
