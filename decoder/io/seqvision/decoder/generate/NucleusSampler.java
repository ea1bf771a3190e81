package io.seqvision.decoder.generate;

import java.util.Random;

/**
 * Nucleus (top-p) sampling with temperature (Holtzman et al., arXiv 1904.09751).
 *
 * <p>Per row: probabilities {@code softmax(logits / temperature)}; tokens sorted by probability
 * (ties: lower id first); the nucleus is the shortest prefix of that order whose probabilities sum
 * to at least {@code topP}; a token is drawn from the nucleus in proportion to its probability. A
 * {@code topP} near 0 keeps only the most likely token, which is greedy decoding; {@code topP = 1}
 * with temperature 1 is plain sampling from the model.
 *
 * <p>Reproducible: two samplers made with the same seed, fed the same logits, choose the same
 * tokens. Not thread-safe (it owns one random generator).
 */
public final class NucleusSampler implements Sampler {

    private final double topP;
    private final double temperature;
    private final long seed;
    private final Random random;

    /**
     * @param topP probability mass of the nucleus, in (0, 1]
     * @param temperature divides the logits before top-p is applied; positive and finite
     * @param seed seed of the random generator
     * @throws IllegalArgumentException naming the value if topP or temperature is out of range
     */
    public NucleusSampler(double topP, double temperature, long seed) {
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        this.topP = topP;
        this.temperature = SamplingMath.checkedTemperature(temperature);
        this.seed = seed;
        this.random = new Random(seed);
    }

    public double topP() {
        return topP;
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
        double[] weights = SamplingMath.weights(logits, order, order.length, max, temperature);
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        int nucleusSize = 0;
        double nucleusWeight = 0;
        while (nucleusSize < order.length) {
            nucleusWeight += weights[nucleusSize];
            nucleusSize++;
            if (nucleusWeight >= topP * total) {
                break;
            }
        }
        return SamplingMath.draw(order, weights, nucleusSize, random);
    }

    @Override
    public String toString() {
        return "NucleusSampler(topP=" + topP + ", temperature=" + temperature + ", seed=" + seed + ")";
    }
}
