package io.github.llmbatch.wildfly;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.inject.Inject;

/**
 * A test-only batchlet that tells, through its exit status, what the deployed application
 * sees of its server configuration: where the provider API key reached it from (never the
 * value) and where the work directory lies. The key is looked up the way server-config/README.md
 * tells the application to: the server's environment first, then a system property of the same
 * name (which the server may resolve from an Elytron encrypted expression). It can also wait, so tests can stop
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
        String exitStatus = "apiKey=" + apiKeySource() + ";workDir=" + System.getProperty(WORK_DIR_PROPERTY);
        jobContext.setExitStatus(exitStatus);
        return exitStatus;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }

    private static String apiKeySource() {
        if (isSet(System.getenv(API_KEY_ENV))) {
            return "env";
        }
        return isSet(System.getProperty(API_KEY_ENV)) ? "property" : "absent";
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static long parseSeconds(String value) {
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }
}
