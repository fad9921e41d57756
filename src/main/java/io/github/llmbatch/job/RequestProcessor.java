package io.github.llmbatch.job;

import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.pipeline.Prepared;
import io.github.llmbatch.pipeline.RecordPreparer;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** prepare's processor: a record becomes a provider request or a reject with its reason. */
@Named
@Dependent
public class RequestProcessor implements ItemProcessor {

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    private RecordPreparer preparer;
    private final FieldNames fieldNames = new FieldNames();

    @Override
    public Object processItem(Object item) {
        if (preparer == null) {
            JobSettings s = JobRun.of(jobContext).settings();
            preparer = new RecordPreparer(s.requestSpec(), s.idField(), s.profile(), s.shardLimits());
        }
        InputRecord record = (InputRecord) item;
        Prepared prepared = preparer.prepare(record, fieldNames);
        ChunkBudget.add(stepContext, prepared instanceof Prepared.Request r
                ? r.requestLine().length + r.recordLine().length : record.length());
        return fieldNames.attach(prepared);
    }
}
