package io.github.llmbatch.job;

import io.github.llmbatch.pipeline.MergeInput;
import io.github.llmbatch.pipeline.ResultJoiner;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** merge's processor: joins a record with its result into the output record. */
@Named
@Dependent
public class MergeItemProcessor implements ItemProcessor {

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    private ResultJoiner joiner;

    @Override
    public Object processItem(Object item) {
        if (joiner == null) {
            JobSettings settings = JobRun.of(jobContext).settings();
            joiner = new ResultJoiner(Providers.resultDecoder(settings), settings.profile(), settings.schema());
        }
        MergeInput in = (MergeInput) item;
        ChunkBudget.add(stepContext, in.record().recordLength() + (in.result() == null ? 0 : in.result().length));
        return joiner.join(in);
    }
}
