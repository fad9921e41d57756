package io.github.llmbatch.job;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.merge.MergedOutput;
import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.merge.MergedTableWriter;
import io.github.llmbatch.merge.MergedWriter;
import io.github.llmbatch.pipeline.MergeCheckpoint;
import io.github.llmbatch.request.ResponseSchema;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/**
 * merge's writer: the output file (JSONL, or CSV by name), its checkpoint a byte offset; or the
 * output table, its checkpoint a row count; with either, the records that succeeded and failed so far
 * ({@link MergeCheckpoint}), which it also leaves in the step's persistent user data for
 * {@link RunReportListener} at the end of the step.
 */
@Named
@Dependent
public class MergeItemWriter extends AbstractItemWriter {

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    private MergedOutput writer;
    private MergeCheckpoint counted;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        JobRun run = JobRun.of(jobContext);
        JobSettings s = run.settings();
        counted = MergeCheckpoint.of(checkpoint);
        stepContext.setPersistentUserData(counted);
        long position = counted.position();
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
            MergedRecord record = (MergedRecord) item;
            writer.write(record);
            counted = counted.plus(record);
        }
    }

    @Override
    public Serializable checkpointInfo() throws Exception {
        counted = counted.at(writer.sync());
        stepContext.setPersistentUserData(counted);
        CrashPoints.reach(CrashPoints.MERGE_BEFORE_CHECKPOINT);
        return counted;
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
