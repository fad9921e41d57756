package io.github.llmbatch.job;

import io.github.llmbatch.input.InputSource;
import io.github.llmbatch.input.JdbcSource;
import io.github.llmbatch.ledger.CrashPoints;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;

/**
 * prepare's reader: input records from the {@code input} file, or from the rows of
 * {@code inputDataSource}, resuming at its checkpoint.
 */
@Named
@Dependent
public class RecordReader extends AbstractItemReader {

    @Inject
    JobContext jobContext;

    private InputSource source;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        JobSettings settings = JobRun.of(jobContext).settings();
        source = settings.jdbcInput()
                ? new JdbcSource(DataSources.lookup(settings.inputDataSource()), settings.inputQuery(),
                        settings.idField(), checkpoint == null ? 0 : (Long) checkpoint, JdbcSource.PAGE_SIZE)
                : settings.inputFormat().open(settings.input(), checkpoint);
    }

    @Override
    public Object readItem() throws Exception {
        CrashPoints.reach(CrashPoints.MID_PREPARE);
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
