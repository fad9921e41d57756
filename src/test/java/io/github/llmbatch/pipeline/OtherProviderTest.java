package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.merge.MergedRecord;
import io.github.llmbatch.provider.BatchError;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.RemoteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline runs a provider it has never heard of: everything provider-specific (request lines,
 * reading their ids back, classifying results, treating a refusal) comes from {@link FakeProfile}.
 */
class OtherProviderTest {

    @TempDir
    Path dir;

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    }

    @Test
    void requestsAreWrittenReadBackAndRetriedTheProfilesWay() throws IOException {
        FakeProfile profile = new FakeProfile();
        try (EmulatedRun e = EmulatedRun.start(dir, "fail400=r-3", 6, 100, 2, profile)) {
            String first = lines(e.ledger.shards.get(0).requestsFile).get(0);
            assertTrue(first.startsWith("{\"method\":\"POST\"") && first.endsWith(",\"custom_id\":\"r-1\"}"), first);

            e.runToEnd();

            List<Ledger.Attempt> attempts = e.saved().attemptsOf(1);
            assertEquals(2, attempts.size(), "a 400 is retryable for this provider");
            assertEquals(1, attempts.get(0).retried);
            List<String> retried = lines(attempts.get(1).requestsFile);
            assertEquals(1, retried.size());
            assertTrue(retried.get(0).endsWith(",\"custom_id\":\"r-3\"}"), "the profile's line, carried over as it is");
            assertTrue(profile.idsRead.get() >= 6, "request ids are read back through the profile");

            List<MergedRecord> merged = new ArrayList<>();
            ResultJoiner joiner = new ResultJoiner(profile.resultDecoder(List.of()), profile);
            try (MergeSource source = new MergeSource(e.saved(), profile.resultDecoder(List.of()),
                    MergePosition.start())) {
                MergeInput in;
                while ((in = source.next()) != null) {
                    merged.add(joiner.join(in));
                }
            }
            assertEquals(List.of("r-1", "r-2", "r-3", "r-4", "r-5", "r-6"), merged.stream().map(MergedRecord::id).toList());
            assertFalse(merged.get(2).succeeded());
            assertEquals(2, merged.get(2).attempts());
            assertTrue(merged.stream().filter(m -> !m.id().equals("r-3")).allMatch(MergedRecord::succeeded));
        }
    }

    @Test
    void aRefusalTheProfileCallsTemporaryIsCreatedAgainLater() throws IOException {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 2, 100, 3, new FakeProfile())) {
            Ledger.Attempt a = e.firstAttempt(1);
            String key = a.key;
            a.batchId = "batch_x";
            RemoteBatch refused = new RemoteBatch("batch_x", BatchState.FAILED, "failed", 0, 0, 0, null, null,
                    List.of(new BatchError(FakeProfile.BUSY, "come back later", null)), key);

            new AttemptResolver(e.run).resolve(a, refused);

            assertEquals(key + "-t1", a.key);
            assertNull(a.batchId);
            assertFalse(a.resolved);
        }
    }
}
