package io.seqvision.decoder.generate;

import static io.seqvision.decoder.generate.SamplerTestSupport.frequencies;
import static io.seqvision.decoder.generate.SamplerTestSupport.logitsOf;
import static io.seqvision.decoder.generate.SamplerTestSupport.normalized;
import static io.seqvision.decoder.generate.SamplerTestSupport.randomLogits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureSamplerTest {

    @Test
    void temperatureOneSamplesTheModelsDistribution() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        double[] seen = frequencies(new TemperatureSampler(1, 21), logits);
        double[] expected = {0.5, 0.3, 0.15, 0.05};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], seen[i], 0.015, "token " + i);
        }
    }

    @Test
    void halfTemperatureSquaresTheProbabilitiesAndMaskedTokensNeverComeUp() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05, 1);
        logits[4] = Float.NEGATIVE_INFINITY;
        double[] seen = frequencies(new TemperatureSampler(0.5, 22), logits);
        double[] expected = normalized(0.25, 0.09, 0.0225, 0.0025);
        assertEquals(0, seen[4]);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], seen[i], 0.015, "token " + i);
        }
    }

    @Test
    void aTinyTemperatureIsGreedy() {
        Random random = new Random(6);
        TemperatureSampler cold = new TemperatureSampler(1e-4, 23);
        for (int row = 0; row < 200; row++) {
            float[] logits = randomLogits(random, 25);
            assertEquals(new GreedySampler().sampleRow(logits), cold.sampleRow(logits));
        }
    }

    @Test
    void sameSeedSameChoices() {
        float[] logits = randomLogits(new Random(7), 40);
        TemperatureSampler a = new TemperatureSampler(1.5, 3);
        TemperatureSampler b = new TemperatureSampler(1.5, 3);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.sampleRow(logits), b.sampleRow(logits));
        }
    }

    @Test
    void rejectsBadTemperatures() {
        for (double bad : new double[] {0, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new TemperatureSampler(bad, 1));
            assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
    }
}
