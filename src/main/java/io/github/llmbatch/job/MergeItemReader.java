package io.github.llmbatch.job;

import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.pipeline.MergePosition;
import io.github.llmbatch.pipeline.MergeSource;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;

/** merge's reader: the records in input order, each with its latest result line. */
@Named
@Dependent
public class MergeItemReader extends AbstractItemReader {

    @Inject
    JobContext jobContext;

    private MergeSource source;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        JobRun run = JobRun.of(jobContext);
        source = new MergeSource(run.ledger(), Providers.resultDecoder(run.settings()),
                checkpoint == null ? MergePosition.start() : (MergePosition) checkpoint);
    }

    @Override
    public Object readItem() throws Exception {
        CrashPoints.reach(CrashPoints.MID_MERGE);
        return source.next();
    }

    @Override
    public Serializable checkpointInfo() {
        return source.checkpoint();
    }

    @Override
    public void close() throws Exception {
        if (source != null) {
            source.close();
        }
    }
}
