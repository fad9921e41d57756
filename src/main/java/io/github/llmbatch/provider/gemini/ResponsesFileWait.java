package io.github.llmbatch.provider.gemini;

import io.github.llmbatch.provider.MalformedAnswerException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch reported SUCCEEDED before its responses file is named (observed, §C.3) is not finished:
 * treating it as "no results" would create the whole batch again and pay twice. The provider
 * reports it as still finalizing, so the poller keeps polling, for at most {@code limit} from the
 * first time this provider saw it so; then the poll fails with a message saying what is missing.
 *
 * <p>The time is counted in memory, not from the batch's {@code endTime}, so a server clock that
 * differs from ours cannot end the wait early; a restarted job waits the full limit again.
 */
final class ResponsesFileWait {

    private final Clock clock;
    private final Duration limit;
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    ResponsesFileWait(Clock clock, Duration limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /**
     * Records that {@code batchName} is SUCCEEDED without a responses file.
     *
     * @throws MalformedAnswerException once the file has been missing longer than the limit
     */
    void stillMissing(String batchName, String state, String call) throws MalformedAnswerException {
        Instant now = clock.instant();
        Instant since = firstSeen.computeIfAbsent(batchName, name -> now);
        Duration waited = Duration.between(since, now);
        if (waited.compareTo(limit) > 0) {
            throw new MalformedAnswerException(call, "batch " + batchName + " has been " + state + " for "
                    + minutes(waited) + " without naming its responses file (neither metadata.output.responsesFile"
                    + " nor response.responsesFile); it is not created again, which would pay twice. Restart the"
                    + " job to poll it again", null);
        }
    }

    /** The file is named (or the batch ended otherwise): forget it. */
    void settled(String batchName) {
        firstSeen.remove(batchName);
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : (s / 60) + " min";
    }
}
