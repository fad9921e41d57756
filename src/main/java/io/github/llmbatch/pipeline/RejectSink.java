package io.github.llmbatch.pipeline;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where prepare puts the records it cannot send: the rejects file ({@link FileRejects}) or a
 * table ({@link TableRejects}). Its position goes into the prepare checkpoint
 * ({@link PrepareCheckpoint#rejectsBytes()}); a sink resumed from it forgets what was written
 * after it.
 */
public interface RejectSink extends Closeable {

    void write(Prepared.Reject reject) throws IOException;

    /** Makes what was written durable; returns the position to checkpoint. */
    long sync() throws IOException;
}
