package io.github.llmbatch.cost;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputTokenCountTest {

    private static final Tokenizer TOKENIZER = Tokenizer.forModel("gpt-4o-mini");
    private static final String[] WORDS = {"kettle", "boils", "fast", "but", "the", "lid", "is", "loose", "and",
            "rattles", "excellent", "value", "would", "not", "buy", "again", "Wasserkocher", "très", "bien", "42"};

    @Test
    void aFewRequestsAreAllCountedExactly() {
        InputTokenCount count = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
        RequestTokens reference = new RequestTokens(TOKENIZER);
        long expected = 0;
        for (byte[] line : lines(50)) {
            count.add(line);
            expected += reference.count(line, 0, line.length);
        }
        assertEquals(expected, count.tally().total());
        assertTrue(count.exact());
        assertFalse(new InputTokenCount(Tokenizer.forModel("claude-haiku-4-5"), InputTokenCount.Tally.NONE, 0).exact(),
                "an approximate encoding is never exact");
    }

    @Test
    void manyRequestsAreSampledWithinOnePercentOfCountingEveryOne() {
        List<byte[]> lines = lines(6000);
        InputTokenCount count = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
        RequestTokens reference = new RequestTokens(TOKENIZER);
        long every = 0;
        for (byte[] line : lines) {
            count.add(line);
            every += reference.count(line, 0, line.length);
        }
        assertFalse(count.exact());
        double error = Math.abs(count.tally().total() - every) / (double) every;
        assertTrue(error < 0.01, "sampled " + count.tally().total() + " vs counted " + every);
    }

    @Test
    void aCountResumedFromItsTallyComesToTheSameTotal() {
        List<byte[]> lines = lines(2500);
        InputTokenCount whole = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
        lines.forEach(whole::add);
        for (int cut : new int[] {0, 999, 1000, 1001, 1700, 2499}) {
            InputTokenCount first = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
            lines.subList(0, cut).forEach(first::add);
            InputTokenCount resumed = new InputTokenCount(TOKENIZER, first.tally(), cut);
            lines.subList(cut, lines.size()).forEach(resumed::add);
            assertEquals(whole.tally(), resumed.tally(), "cut at " + cut);
        }
    }

    @Test
    void countingOnOtherThreadsComesToTheSameTally() {
        List<byte[]> lines = lines(3000);
        InputTokenCount here = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            InputTokenCount there = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0, pool);
            for (int i = 0; i < lines.size(); i++) {
                here.add(lines.get(i));
                there.add(lines.get(i));
                if (i % 700 == 0) {
                    assertEquals(here.tally(), there.tally(), "after " + (i + 1));
                }
            }
            assertEquals(here.tally(), there.tally());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pastTheSparseMarkOnlyEveryThousandTwentyFourthIsCounted() {
        byte[] line = lines(1).get(0);
        InputTokenCount count = new InputTokenCount(TOKENIZER, new InputTokenCount.Tally(1, 1, 0),
                InputTokenCount.SPARSE_AFTER - 1);
        for (int i = 0; i < 2 * InputTokenCount.SPARSE_EVERY; i++) {
            count.add(line);
        }
        // of ordinals SPARSE_AFTER - 1 to SPARSE_AFTER + 2046 only SPARSE_AFTER and SPARSE_AFTER + 1024 are sampled
        long counted = (count.tally().countedBytes() - 1) / line.length;
        assertEquals(2, counted);
        assertEquals(2L * InputTokenCount.SPARSE_EVERY - 2, count.tally().uncountedBytes() / line.length);
    }

    @Test
    void aRequestOverOneMebibyteIsExtrapolatedNotTokenized() {
        byte[] huge = ("{\"body\":{\"input\":\"" + "y".repeat(2 << 20) + "\"}}").getBytes(StandardCharsets.UTF_8);
        InputTokenCount alone = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
        alone.add(huge);
        assertEquals(new InputTokenCount.Tally(0, 0, huge.length), alone.tally());
        assertEquals(Math.round(huge.length / 4.0), alone.tally().total(), "nothing counted: 4 bytes a token");
        assertFalse(alone.exact());

        InputTokenCount mixed = new InputTokenCount(TOKENIZER, InputTokenCount.Tally.NONE, 0);
        List<byte[]> lines = lines(10);
        lines.forEach(mixed::add);
        long counted = mixed.tally().total();
        mixed.add(huge);
        InputTokenCount.Tally tally = mixed.tally();
        assertEquals(counted, tally.countedTokens());
        assertEquals(counted + Math.round((double) huge.length * tally.countedTokens() / tally.countedBytes()),
                tally.total(), "at the counted requests' tokens per byte");
    }

    /** Chat request lines with a fixed system prompt and user texts of varied length. */
    private static List<byte[]> lines(int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            int words = 5 + random.nextInt(120);
            for (int w = 0; w < words; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(9) == 0 ? ". " : " ");
            }
            String line = "{\"custom_id\":\"r-" + i + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"Classify"
                    + " the review.\"},{\"role\":\"user\",\"content\":\"" + text + "\"}]}}";
            lines.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return lines;
    }
}
