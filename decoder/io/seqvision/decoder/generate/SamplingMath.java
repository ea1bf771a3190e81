package io.seqvision.decoder.generate;

/** Checks and softmax shared by the samplers and the generator, over one row of logits. */
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
}
