package io.github.llmbatch.merge;

import java.io.Closeable;
import java.io.IOException;

/** Where merged records go: a file ({@link MergedWriter}) or a table ({@link MergedTableWriter}). */
public interface MergedOutput extends Closeable {

    void write(MergedRecord record) throws IOException;

    /** Makes what was written durable; returns the position to checkpoint. */
    long sync() throws IOException;
}
