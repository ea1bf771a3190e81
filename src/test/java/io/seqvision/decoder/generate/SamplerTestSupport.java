package io.seqvision.decoder.generate;

import java.util.Random;

/** Logit rows and histograms shared by the sampler tests. */
final class SamplerTestSupport {

    static final int DRAWS = 20_000;

    private SamplerTestSupport() {}

    /** Logits whose softmax is the given distribution. */
    static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    static float[] randomLogits(Random random, int count) {
        float[] logits = new float[count];
        for (int i = 0; i < count; i++) {
            logits[i] = (float) (random.nextGaussian() * 2);
        }
        return logits;
    }

    /** Fractions of {@link #DRAWS} draws that chose each token. */
    static double[] frequencies(Sampler sampler, float[] logits) {
        int[] counts = new int[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.sampleRow(logits)]++;
        }
        double[] frequencies = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            frequencies[i] = counts[i] / (double) DRAWS;
        }
        return frequencies;
    }

    /** {@code weights} scaled to sum to one. */
    static double[] normalized(double... weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double[] result = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            result[i] = weights[i] / total;
        }
        return result;
    }
}
