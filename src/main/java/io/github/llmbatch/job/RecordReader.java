package io.github.llmbatch.job;

import io.github.llmbatch.input.InputSource;
import io.github.llmbatch.input.JdbcSource;
import io.github.llmbatch.ledger.CrashPoints;
import io.github.llmbatch.pipeline.ParallelPreparer;
import io.github.llmbatch.pipeline.RecordPreparer;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;

/**
 * prepare's reader: input records from the {@code input} file, or from the rows of
 * {@code inputDataSource}, each made a provider request or a reject with its reason, resuming at
 * its checkpoint. The making runs ahead on worker threads ({@link ParallelPreparer}) while the
 * step's thread writes; the checkpoint is the input position after the last record handed on.
 */
@Named
@Dependent
public class RecordReader extends AbstractItemReader {

    private static final Logger LOG = Logger.getLogger(RecordReader.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    private ParallelPreparer records;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        JobSettings s = JobRun.of(jobContext).settings();
        InputSource source = s.jdbcInput()
                ? new JdbcSource(DataSources.lookup(s.inputDataSource()), s.inputQuery(),
                        s.idField(), checkpoint == null ? 0 : (Long) checkpoint, JdbcSource.PAGE_SIZE)
                : s.inputFormat().open(s.input(), checkpoint);
        ExecutorService workers = PrepareWorkers.executor();
        int parallelism = PrepareWorkers.parallelism();
        records = new ParallelPreparer(source,
                () -> new RecordPreparer(s.requestSpec(), s.idField(), s.profile(), s.shardLimits()),
                workers, parallelism);
        LOG.info(() -> "prepare of job instance " + jobContext.getJobName() + "/" + jobContext.getInstanceId()
                + " runs " + parallelism + " workers on " + PrepareWorkers.describe(workers));
    }

    @Override
    public Object readItem() throws Exception {
        CrashPoints.reach(CrashPoints.MID_PREPARE);
        ParallelPreparer.PreparedRecord record = records.next();
        if (record != null) {
            ChunkBudget.add(stepContext, record.bytes());
        }
        return record;
    }

    @Override
    public Serializable checkpointInfo() {
        return records.checkpoint();
    }

    @Override
    public void close() throws Exception {
        if (records != null) {
            records.close();
        }
    }
}
