package io.github.llmbatch.pipeline;

import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.openai.AuthStyle;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop while a shard's upload hangs is a stop, not a failure of the shard: the submission
 * ends as stopped (the step ends STOPPED, not "FAILED: cannot upload"), and a later one
 * finishes the work.
 */
class StopDuringSubmitTest {

    @TempDir
    Path dir;

    @Test
    void stopDuringAnUploadEndsTheSubmissionAsStopped() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, "upload=hang", 6, 3, 3)) {
            StopSignal stop = new StopSignal();
            CompletableFuture<Boolean> submit = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Submission(stoppedBy(e, stop)).submitAll(stop);
                } catch (Exception failure) {
                    throw new AssertionError(failure);
                }
            });
            Thread.sleep(500); // the first upload is hanging (60 s timeout)
            assertFalse(submit.isDone());
            stop.stop();

            assertFalse(submit.get(10, TimeUnit.SECONDS), "stopped, not finished");
            assertEquals(0, e.server.stats().batchesCreated());

            assertTrue(new Submission(stoppedBy(e, new StopSignal())).submitAll(new StopSignal()));
            assertEquals(2, e.server.stats().batchesCreated());
        }
    }

    /** The run with a provider whose calls end when {@code stop} is signalled, as in the job. */
    private static RunContext stoppedBy(EmulatedRun e, StopSignal stop) {
        OpenAiProvider provider = new OpenAiProvider(e.server.baseUrl().toString(), "test-key", AuthStyle.BEARER,
                new HttpTransport(RetryPolicy.DEFAULT, HttpTimeouts.of(Duration.ofSeconds(60)), stop));
        return new RunContext(e.paths, e.ledger, e.paths.ledgerStore(), e.run.fence(), provider, e.run.profile(),
                e.run.endpoint(), e.run.model(), EmulatedRun.POLL, e.run.maxAttempts(), e.run.clock());
    }
}
