package io.github.llmbatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbatch.cost.Bill;
import io.github.llmbatch.cost.LedgerCost;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.provider.RemoteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The bill each resolved attempt records: the usage of its succeeded results, read from the result
 * files the emulator wrote, each request once whatever its attempts, and the same after a resolve
 * that was interrupted and run again.
 */
class AttemptBillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** requests, input, cached input, output: what the succeeded lines of these result files say, summed. */
    private static long[] succeededUsage(List<Ledger.Attempt> attempts) throws IOException {
        long[] sum = new long[4];
        for (Ledger.Attempt a : attempts) {
            if (a.outputFile == null) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(a.outputFile))) {
                JsonNode response = JSON.readTree(line).path("response");
                if (response.path("status_code").asInt() / 100 != 2) {
                    continue;
                }
                JsonNode usage = response.path("body").path("usage");
                sum[0]++;
                sum[1] += usage.path("prompt_tokens").asLong();
                sum[2] += usage.path("prompt_tokens_details").path("cached_tokens").asLong();
                sum[3] += usage.path("completion_tokens").asLong();
            }
        }
        return sum;
    }

    private static long[] billed(Ledger.Usage u) {
        return new long[] {u.requests, u.inputTokens, u.cachedInputTokens, u.outputTokens};
    }

    private static void assertBilled(long[] expected, Ledger.Usage actual, String what) {
        assertEquals(List.of(expected[0], expected[1], expected[2], expected[3]),
                List.of(actual.requests, actual.inputTokens, actual.cachedInputTokens, actual.outputTokens), what);
    }

    @Test
    void eachSucceededRequestIsBilledInTheAttemptItSucceededInAndFailuresAreNotBilled() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "fail500=r-(2|5);fail400=r-3", 6, 100, 3)) {
            e.runToEnd();
            List<Ledger.Attempt> attempts = e.saved().attemptsOf(1);
            assertEquals(2, attempts.size());

            Ledger.Attempt first = attempts.get(0);
            Ledger.Attempt second = attempts.get(1);
            assertEquals(3, first.billed.requests, "r-1, r-4, r-6: not the two 500s nor the 400");
            assertEquals(2, second.billed.requests, "r-2, r-5");
            assertBilled(succeededUsage(List.of(first)), first.billed, "attempt 1");
            assertBilled(succeededUsage(List.of(second)), second.billed, "attempt 2");
            assertEquals(0, first.billed.requestsWithoutUsage + second.billed.requestsWithoutUsage);

            long[] all = succeededUsage(attempts);
            Bill bill = LedgerCost.bill(e.saved());
            assertEquals(List.of(5L, all[1], all[2], all[3]),
                    List.of(bill.requests(), bill.inputTokens(), bill.cachedInputTokens(), bill.outputTokens()));
            assertEquals(true, all[1] > 0 && all[3] > 0, "the emulator reports usage");
        }
    }

    @Test
    void anExpiredBatchBillsTheHalfThatRanAndTheRetryTheRest() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "expire=1;shuffle=false", 6, 100, 3)) {
            e.runToEnd();
            List<Ledger.Attempt> attempts = e.saved().attemptsOf(1);

            assertEquals("expired", attempts.get(0).status);
            assertEquals(3, attempts.get(0).billed.requests);
            assertEquals(3, attempts.get(1).billed.requests);
            assertBilled(succeededUsage(attempts), sum(attempts), "both attempts");
            assertEquals(6, LedgerCost.bill(e.saved()).requests(), "each request once");
        }
    }

    @Test
    void aBatchWithNoOutputFileBillsNothing() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "allFail=1", 6, 100, 3)) {
            e.runToEnd();
            List<Ledger.Attempt> attempts = e.saved().attemptsOf(1);

            assertBilled(new long[4], attempts.get(0).billed, "every line an HTTP 500");
            assertEquals(6, attempts.get(1).billed.requests);
            assertBilled(succeededUsage(attempts), sum(attempts), "the retry");
        }
    }

    @Test
    void resolvingAgainAfterACrashReplacesTheBillInsteadOfAddingToIt() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "fail500=r-(1|6)", 6, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            new AttemptSubmitter(e.run).submit(a);
            RemoteBatch done = AttemptResolverTest.waitForEnd(e, a.batchId);
            AttemptResolver resolver = new AttemptResolver(e.run);
            resolver.resolve(a, done);
            long[] once = billed(a.billed);
            assertEquals(4, once[0]);
            assertBilled(succeededUsage(List.of(a)), e.saved().attempt(1, 1).orElseThrow().billed, "on disk");

            // killed after the download was recorded but before the save that sets "resolved" (and "billed")
            a.resolved = false;
            a.billed = null;
            resolver.resolve(a, e.provider.getBatch(a.batchId));
            assertBilled(once, e.saved().attempt(1, 1).orElseThrow().billed, "resolved again from the recorded file");

            // resolved again in a process that still held the first bill
            a.resolved = false;
            resolver.resolve(a, e.provider.getBatch(a.batchId));
            assertBilled(once, e.saved().attempt(1, 1).orElseThrow().billed, "replaced, not added");
            assertEquals(1, e.server.stats().outputFilesDownloaded(), "the recorded file was read, not fetched again");
        }
    }

    @Test
    void resultsWithoutAReadableUsageAreBilledRequestsWithUnknownTokens() throws IOException {
        // FakeProfile reads no usage (the ProviderProfile default): every billed result is without one
        try (EmulatedRun e = EmulatedRun.start(dir, "", 2, 100, 3, new FakeProfile())) {
            e.runToEnd();
            Ledger ledger = e.saved();
            Ledger.Usage u = ledger.attemptsOf(1).get(0).billed;

            assertEquals(2, u.requests);
            assertEquals(2, u.requestsWithoutUsage);
            assertEquals(0, u.inputTokens + u.outputTokens);
            assertEquals(2, LedgerCost.requestsWithoutUsage(ledger));
        }
    }

    @Test
    void anAttemptNotYetResolvedHasNoBill() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 2, 100, 3)) {
            Ledger.Attempt a = e.firstAttempt(1);
            new AttemptSubmitter(e.run).submit(a);
            assertNull(e.saved().attempt(1, 1).orElseThrow().billed);
            assertEquals(0, LedgerCost.bill(e.saved()).requests());
        }
    }

    private static Ledger.Usage sum(List<Ledger.Attempt> attempts) {
        Ledger.Usage all = new Ledger.Usage();
        for (Ledger.Attempt a : attempts) {
            all.requests += a.billed.requests;
            all.inputTokens += a.billed.inputTokens;
            all.cachedInputTokens += a.billed.cachedInputTokens;
            all.outputTokens += a.billed.outputTokens;
        }
        return all;
    }
}
