package io.github.llmbatch.wildfly;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;

/**
 * A test-only batchlet that tells, through its exit status, what the deployed application
 * sees of its server configuration: whether the provider API key reached it (presence only,
 * never the value) and where the work directory lies. It can also wait, so tests can stop
 * it or crash the server under it. Put into a throwaway copy of the WAR by {@link ProbeWar}.
 */
public class ProbeBatchlet extends AbstractBatchlet {

    static final String API_KEY_ENV = "OPENAI_API_KEY";
    static final String WORK_DIR_PROPERTY = "llmbatch.workDir";

    @Inject
    @BatchProperty
    String waitSeconds;

    @Inject
    JobContext jobContext;

    private volatile boolean stopRequested;

    @Override
    public String process() throws InterruptedException {
        long deadline = System.nanoTime() + parseSeconds(waitSeconds) * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (stopRequested) {
                return "STOPPED";
            }
            Thread.sleep(100);
        }
        String key = System.getenv(API_KEY_ENV);
        String exitStatus = "apiKey=" + (key == null || key.isBlank() ? "absent" : "present")
                + ";workDir=" + System.getProperty(WORK_DIR_PROPERTY);
        jobContext.setExitStatus(exitStatus);
        return exitStatus;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }

    private static long parseSeconds(String value) {
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }
}
