package io.seqvision.decoder.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

class NucleusSamplerTest {

    private static final int DRAWS = 4000;

    /** Probabilities 0.5, 0.25, 0.15, 0.1 as logits. */
    private static final float[] FIXED = logits(0.5, 0.25, 0.15, 0.1);

    @Test
    void sameSeedSameChoices() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = randomLogits(new Random(1), 8 * 50);
            NucleusSampler first = new NucleusSampler(0.9f, 1.3f, 42);
            NucleusSampler second = new NucleusSampler(0.9f, 1.3f, 42);
            NucleusSampler otherSeed = new NucleusSampler(0.9f, 1.3f, 43);
            boolean differs = false;
            for (int step = 0; step < 5; step++) {
                var logits = manager.create(values, new Shape(8, 50));
                int[] a = first.sample(logits);
                assertArrayEquals(a, second.sample(logits));
                differs |= !Arrays.equals(a, otherSeed.sample(logits));
            }
            assertTrue(differs, "another seed should give other choices somewhere in 40 draws");
        }
    }

    @Test
    void tinyTopPIsGreedy() {
        Random random = new Random(3);
        GreedySampler greedy = new GreedySampler();
        NucleusSampler nucleus = new NucleusSampler(1e-6f, 0.7f, 9);
        for (int row = 0; row < 200; row++) {
            float[] logits = randomLogits(random, 30);
            assertEquals(greedy.sampleRow(logits), nucleus.sampleRow(logits));
        }
    }

    @Test
    void samplesOnlyFromTheNucleusInProportion() {
        // top-p 0.7 over (0.5, 0.25, 0.15, 0.1): 0.5 < 0.7 <= 0.75, nucleus {0, 1} renormalised to 2/3, 1/3
        int[] counts = histogram(new NucleusSampler(0.7f, 1f, 5), FIXED);
        assertEquals(0, counts[2] + counts[3], "tokens outside the nucleus were drawn");
        assertEquals(2.0 / 3, counts[0] / (double) DRAWS, 0.03);
    }

    @Test
    void temperatureIsAppliedBeforeTopP() {
        // at temperature 2 the probabilities are proportional to sqrt(p): 0.370, 0.262, 0.203, 0.166;
        // cumulative 0.370, 0.632, 0.835, so top-p 0.7 keeps {0, 1, 2}
        int[] counts = histogram(new NucleusSampler(0.7f, 2f, 5), FIXED);
        assertEquals(0, counts[3], "token 3 is outside the tempered nucleus");
        double kept = 0.370 + 0.262 + 0.203;
        assertEquals(0.203 / kept, counts[2] / (double) DRAWS, 0.03);
        assertEquals(0.370 / kept, counts[0] / (double) DRAWS, 0.03);
    }

    @Test
    void fullNucleusMatchesTheDistributionAndSkipsMaskedTokens() {
        float[] logits = Arrays.copyOf(FIXED, 5);
        logits[4] = Float.NEGATIVE_INFINITY;
        int[] counts = histogram(new NucleusSampler(1f, 1f, 8), logits);
        assertEquals(0, counts[4]);
        assertEquals(0.1, counts[3] / (double) DRAWS, 0.02);
        assertEquals(0.5, counts[0] / (double) DRAWS, 0.03);
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new NucleusSampler(0f, 1f, 1));
        assertTrue(e.getMessage().contains("topP") && e.getMessage().contains("0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NucleusSampler(1.5f, 1f, 1));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NucleusSampler(0.5f, 0f, 1));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NucleusSampler(Float.NaN, 1f, 1));
        assertFalse(new NucleusSampler(1f, 1f, 1).toString().isEmpty());
    }

    private static int[] histogram(NucleusSampler sampler, float[] logits) {
        int[] counts = new int[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.sampleRow(logits)]++;
        }
        return counts;
    }

    private static float[] logits(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static float[] randomLogits(Random random, int count) {
        float[] logits = new float[count];
        for (int i = 0; i < count; i++) {
            logits[i] = (float) (random.nextGaussian() * 2);
        }
        return logits;
    }
}
