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

/** A stop while a status call hangs ends the poll at once; polling again later finishes the work. */
class StopDuringPollTest {

    @TempDir
    Path dir;

    @Test
    void stopEndsAHungStatusCallAndALaterPollFinishes() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, "retrieve=hang", 6, 3, 3)) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            StopSignal stop = new StopSignal();
            CompletableFuture<Boolean> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BatchPoller(withStop(e, stop), s -> { }).pollUntilDone(stop);
                } catch (Exception failure) {
                    throw new AssertionError(failure);
                }
            });
            Thread.sleep(500); // the first status call is hanging (60 s timeout, 6 retries)
            assertFalse(poll.isDone());
            long stoppedAt = System.nanoTime();
            stop.stop();
            boolean done = poll.get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);

            assertFalse(done, "stopped, not finished");
            assertTrue(millis < 2_000, "the poll ended " + millis + " ms after the stop");
            assertEquals(0, e.saved().summary().requestsDone());

            assertTrue(new BatchPoller(withStop(e, new StopSignal()), s -> { }).pollUntilDone(new StopSignal()));
            assertEquals(6, e.saved().summary().requestsDone());
            assertEquals(2, e.server.stats().batchesCreated(), "the batches were polled again, not made again");
        }
    }

    private static RunContext withStop(EmulatedRun e, StopSignal stop) {
        OpenAiProvider provider = new OpenAiProvider(e.server.baseUrl().toString(), "test-key", AuthStyle.BEARER,
                new HttpTransport(RetryPolicy.DEFAULT, HttpTimeouts.of(Duration.ofSeconds(60)), stop));
        return new RunContext(e.paths, e.ledger, e.paths.ledgerStore(), e.run.fence(), provider, e.run.profile(),
                e.run.endpoint(), e.run.model(), EmulatedRun.POLL, e.run.maxAttempts(), e.run.clock());
    }
}
