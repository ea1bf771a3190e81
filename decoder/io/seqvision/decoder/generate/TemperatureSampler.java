package io.seqvision.decoder.generate;

import java.util.Random;

/**
 * Plain sampling from {@code softmax(logits / temperature)} over every allowed token. Temperature 1
 * samples from the model's distribution; below 1 sharpens it towards greedy, above 1 flattens it.
 *
 * <p>Reproducible: two samplers made with the same seed, fed the same logits, choose the same
 * tokens. Not thread-safe (it owns one random generator).
 */
public final class TemperatureSampler implements Sampler {

    private final double temperature;
    private final long seed;
    private final Random random;

    /**
     * @param temperature divides the logits; positive and finite
     * @param seed seed of the random generator
     * @throws IllegalArgumentException naming the value if the temperature is out of range
     */
    public TemperatureSampler(double temperature, long seed) {
        this.temperature = SamplingMath.checkedTemperature(temperature);
        this.seed = seed;
        this.random = new Random(seed);
    }

    public double temperature() {
        return temperature;
    }

    public long seed() {
        return seed;
    }

    @Override
    public int sampleRow(float[] logits) {
        float max = SamplingMath.checkedMax(logits);
        int[] tokens = new int[logits.length];
        int count = 0;
        for (int v = 0; v < logits.length; v++) {
            if (logits[v] != Float.NEGATIVE_INFINITY) {
                tokens[count++] = v;
            }
        }
        double[] weights = SamplingMath.weights(logits, tokens, count, max, temperature);
        return SamplingMath.draw(tokens, weights, count, random);
    }

    @Override
    public String toString() {
        return "TemperatureSampler(temperature=" + temperature + ", seed=" + seed + ")";
    }
}
