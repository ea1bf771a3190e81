package io.seqvision.decoder.generate;

import java.util.Random;

/**
 * Top-k sampling with temperature (Fan et al., arXiv 1805.04833).
 *
 * <p>Per row: the {@code k} tokens with the largest logits (ties: lower id first; fewer when fewer
 * tokens are allowed) are kept, and one of them is drawn with probability proportional to {@code
 * exp(logit / temperature)}. {@code k = 1} is greedy decoding.
 *
 * <p>Reproducible: two samplers made with the same seed, fed the same logits, choose the same
 * tokens. Not thread-safe (it owns one random generator).
 */
public final class TopKSampler implements Sampler {

    private final int k;
    private final double temperature;
    private final long seed;
    private final Random random;

    /**
     * @param k how many of the most likely tokens to draw from; at least 1
     * @param temperature divides the logits; positive and finite
     * @param seed seed of the random generator
     * @throws IllegalArgumentException naming the value if k or temperature is out of range
     */
    public TopKSampler(int k, double temperature, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
        this.temperature = SamplingMath.checkedTemperature(temperature);
        this.seed = seed;
        this.random = new Random(seed);
    }

    public int k() {
        return k;
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
        int[] order = SamplingMath.finiteTokensByDescendingLogit(logits);
        int kept = Math.min(k, order.length);
        double[] weights = SamplingMath.weights(logits, order, kept, max, temperature);
        return SamplingMath.draw(order, weights, kept, random);
    }

    @Override
    public String toString() {
        return "TopKSampler(k=" + k + ", temperature=" + temperature + ", seed=" + seed + ")";
    }
}
