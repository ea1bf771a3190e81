package io.seqvision.decoder.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RepetitionPenaltyTest {

    @Test
    void dividesPositiveAndMultipliesNegativeLogitsOfGeneratedTokensOnce() {
        Random random = new Random(11);
        int changed = 0;
        for (int trial = 0; trial < 1000; trial++) {
            int vocab = 2 + random.nextInt(30);
            double penalty = 0.5 + 2.5 * random.nextDouble();
            int[] generated = random.ints(random.nextInt(20), 0, vocab).toArray();
            Set<Integer> seen = IntStream.of(generated).boxed().collect(Collectors.toSet());
            float[] logits = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                logits[v] = (float) (4 * random.nextGaussian());
            }
            float[] processed = logits.clone();
            new RepetitionPenalty(penalty).process(generated, processed);
            for (int v = 0; v < vocab; v++) {
                double expected = !seen.contains(v) ? logits[v]
                        : logits[v] > 0 ? logits[v] / (double) (float) penalty : logits[v] * (double) (float) penalty;
                changed += seen.contains(v) ? 1 : 0;
                assertEquals(expected, processed[v], 1e-6 * Math.max(1, Math.abs(expected)),
                        "token " + v + " penalty " + penalty + " seen " + seen.contains(v));
            }
        }
        assertTrue(changed > 1000, "the random cases should penalise many tokens: " + changed);
    }

    @Test
    void keepsForbiddenTokensForbiddenAndOneChangesNothing() {
        float[] logits = {Float.NEGATIVE_INFINITY, 2f, -2f, 0f};
        new RepetitionPenalty(2).process(new int[] {0, 1, 1, 1, 2, 3}, logits);
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 1f, -4f, 0f}, logits,
                "each token penalised once however often it occurred");
        float[] same = {3f, -1f};
        new RepetitionPenalty(1).process(new int[] {0, 1}, same);
        assertArrayEquals(new float[] {3f, -1f}, same);
    }

    @Test
    void rejectsPenaltiesThatAreNotPositiveAndFinite() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(bad));
            assertTrue(e.getMessage().contains("positive and finite"), e.getMessage());
        }
    }
}
