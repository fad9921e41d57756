package io.github.llmbatch.cli.testjob;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;

/** Reads the numbers 1..records; the checkpoint is the last number read. */
@Dependent
@Named("cliTestCountingReader")
public class CountingReader extends AbstractItemReader {

    @Inject
    @BatchProperty
    String records;

    private int last;

    @Override
    public void open(Serializable checkpoint) {
        last = checkpoint == null ? 0 : (Integer) checkpoint;
    }

    @Override
    public Object readItem() {
        return last < Integer.parseInt(records) ? ++last : null;
    }

    @Override
    public Serializable checkpointInfo() {
        return last;
    }
}
