package io.seqvision.decoder.generate;

import static io.seqvision.decoder.generate.SamplerTestSupport.frequencies;
import static io.seqvision.decoder.generate.SamplerTestSupport.logitsOf;
import static io.seqvision.decoder.generate.SamplerTestSupport.normalized;
import static io.seqvision.decoder.generate.SamplerTestSupport.randomLogits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKSamplerTest {

    private static final float[] FIXED = logitsOf(0.4, 0.3, 0.2, 0.1);

    @Test
    void drawsOnlyTheKMostLikelyInProportion() {
        double[] seen = frequencies(new TopKSampler(2, 1, 11), FIXED);
        assertEquals(0, seen[2] + seen[3], "tokens outside the top 2 were drawn");
        double[] expected = normalized(0.4, 0.3);
        assertEquals(expected[0], seen[0], 0.02);
        assertEquals(expected[1], seen[1], 0.02);
    }

    @Test
    void temperatureDividesTheLogitsBeforeDrawing() {
        // at temperature 2 the weights are sqrt(p)
        double[] seen = frequencies(new TopKSampler(3, 2, 12), FIXED);
        double[] expected = normalized(Math.sqrt(0.4), Math.sqrt(0.3), Math.sqrt(0.2));
        assertEquals(0, seen[3]);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], seen[i], 0.02, "token " + i);
        }
    }

    @Test
    void kBeyondTheAllowedTokensSamplesEveryAllowedOneAndNeverAMaskedOne() {
        float[] logits = Arrays.copyOf(FIXED, 6);
        logits[4] = Float.NEGATIVE_INFINITY;
        logits[5] = Float.NEGATIVE_INFINITY;
        double[] seen = frequencies(new TopKSampler(50, 1, 13), logits);
        assertEquals(0, seen[4] + seen[5]);
        assertEquals(0.1, seen[3], 0.01);
        assertEquals(0.4, seen[0], 0.02);
    }

    @Test
    void tiesKeepTheLowerIds() {
        float[] flat = new float[6];
        double[] seen = frequencies(new TopKSampler(2, 1, 14), flat);
        assertEquals(0.5, seen[0], 0.02);
        assertEquals(0.5, seen[1], 0.02);
        assertEquals(0, seen[2] + seen[3] + seen[4] + seen[5]);
    }

    @Test
    void topOneIsGreedy() {
        Random random = new Random(4);
        TopKSampler topOne = new TopKSampler(1, 3, 15);
        for (int row = 0; row < 200; row++) {
            float[] logits = randomLogits(random, 40);
            assertEquals(new GreedySampler().sampleRow(logits), topOne.sampleRow(logits));
        }
    }

    @Test
    void sameSeedSameChoicesOtherSeedOtherChoices() {
        Random random = new Random(5);
        float[][] rows = new float[60][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = randomLogits(random, 30);
        }
        int[] first = draw(new TopKSampler(8, 1.2, 99), rows);
        assertArrayEquals(first, draw(new TopKSampler(8, 1.2, 99), rows));
        assertTrue(!Arrays.equals(first, draw(new TopKSampler(8, 1.2, 100), rows)));
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopKSampler(0, 1, 1));
        assertTrue(e.getMessage().contains("k must be at least 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TopKSampler(3, Double.NaN, 1));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TopKSampler(3, -1, 1));
        e = assertThrows(IllegalArgumentException.class,
                () -> new TopKSampler(3, 1, 1).sampleRow(new float[] {Float.NEGATIVE_INFINITY}));
        assertTrue(e.getMessage().contains("no token is allowed"), e.getMessage());
    }

    private static int[] draw(Sampler sampler, float[][] rows) {
        int[] chosen = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            chosen[i] = sampler.sampleRow(rows[i]);
        }
        return chosen;
    }
}
