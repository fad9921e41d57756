package io.github.llmbatch.servers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** A Jakarta EE server the scenarios drive: started, killed, started again, always shut down. */
public interface AppServer extends AutoCloseable {

    /** Boots the server with the WAR deployed; returns once the application answers. */
    void start() throws IOException, InterruptedException;

    /** SIGKILL to the server's process tree: a crash, nothing shut down, nothing flushed. */
    void kill();

    /** The WAR's batch REST API, {@code http://127.0.0.1:PORT/llm-batch/api/}. */
    URI api();

    /** The directory of this run (logs, configuration, the job's work directory). */
    Path runDir();

    /** The server's own log, for failure messages. */
    String logTail();

    @Override
    void close();
}
