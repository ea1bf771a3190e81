package io.seqvision.decoder.generate;

import java.util.Arrays;
import java.util.Random;

/** Checks, ordering, softmax and drawing shared by the samplers and the generator, over one row of logits. */
final class SamplingMath {

    private SamplingMath() {}

    /**
     * The largest logit; rejects NaN and rows with no finite logit.
     *
     * @throws IllegalArgumentException if a logit is NaN or every logit is negative infinity
     */
    static float checkedMax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < logits.length; v++) {
            float value = logits[v];
            if (Float.isNaN(value)) {
                throw new IllegalArgumentException("logit of token " + v + " is NaN");
            }
            if (value > max) {
                max = value;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "every one of the " + logits.length + " logits is -infinity: no token is allowed");
        }
        if (max == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a logit is +infinity");
        }
        return max;
    }

    /** First index of the largest logit. */
    static int argMax(float[] logits) {
        float max = checkedMax(logits);
        for (int v = 0; v < logits.length; v++) {
            if (logits[v] == max) {
                return v;
            }
        }
        throw new AssertionError("unreachable: the maximum is one of the logits");
    }

    /** Probability of {@code token} under softmax(logits / 1), with -infinity logits at 0. */
    static float probability(float[] logits, int token) {
        float max = checkedMax(logits);
        double total = 0;
        for (float value : logits) {
            total += Math.exp((double) value - max);
        }
        return (float) (Math.exp((double) logits[token] - max) / total);
    }

    /** Rejects a temperature that is not positive and finite, naming it. */
    static double checkedTemperature(double temperature) {
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException(
                    "temperature must be positive and finite, got " + temperature);
        }
        return temperature;
    }

    /**
     * Ids of the finite logits, largest logit first and lower id first among equals. Sorting packed
     * primitive keys (the logit's order-preserving int bits above the complemented id) avoids
     * boxing a few thousand Integers per row.
     */
    static int[] finiteTokensByDescendingLogit(float[] logits) {
        long[] keys = new long[logits.length];
        int count = 0;
        for (int v = 0; v < logits.length; v++) {
            if (logits[v] == Float.NEGATIVE_INFINITY) {
                continue;
            }
            int bits = Float.floatToIntBits(logits[v] + 0.0f);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[count++] = ((long) ordered << 32) | (~v & 0xffffffffL);
        }
        Arrays.sort(keys, 0, count);
        int[] order = new int[count];
        for (int r = 0; r < count; r++) {
            order[r] = ~(int) keys[count - 1 - r];
        }
        return order;
    }

    /**
     * Unnormalised softmax weights {@code exp((logit - max) / temperature)} of the given tokens.
     *
     * @param max the row's largest logit (from {@link #checkedMax})
     */
    static double[] weights(float[] logits, int[] tokens, int count, float max, double temperature) {
        double[] weights = new double[count];
        for (int r = 0; r < count; r++) {
            weights[r] = Math.exp(((double) logits[tokens[r]] - max) / temperature);
        }
        return weights;
    }

    /**
     * Draws {@code tokens[r]} with probability {@code weights[r] / sum(weights[0..count))}: one
     * {@code random.nextDouble()} per call.
     */
    static int draw(int[] tokens, double[] weights, int count, Random random) {
        double total = 0;
        for (int r = 0; r < count; r++) {
            total += weights[r];
        }
        double remaining = random.nextDouble() * total;
        for (int r = 0; r < count; r++) {
            remaining -= weights[r];
            if (remaining < 0) {
                return tokens[r];
            }
        }
        return tokens[count - 1];
    }
}
