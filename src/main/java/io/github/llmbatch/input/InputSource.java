package io.github.llmbatch.input;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;

/**
 * Where records come from. A source resumes from the checkpoint it gave out, so a restarted
 * step reads each record once.
 */
public interface InputSource extends Closeable {

    /** The next record, or null at the end. */
    InputRecord next() throws IOException;

    /** Resume point after the last record returned. */
    Serializable checkpoint();
}
