package io.seqvision.tasks.curves;

/**
 * Exponential moving average with bias correction, as TensorBoard smooths scalars: {@code
 * m_i = w * m_(i-1) + (1 - w) * x_i} from {@code m = 0}, divided by {@code 1 - w^n} after n
 * values, so the start is not pulled towards zero.
 */
public final class Ema {

    private Ema() {}

    /**
     * @param values one value per point, in step order; NaN and infinite values are passed over
     *     (their output is NaN and they do not enter the average)
     * @param weight in [0, 1): 0 returns the values, nearer 1 smooths more
     * @return an array of the same length
     */
    public static double[] smooth(double[] values, double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight " + weight + " is outside [0, 1)");
        }
        double[] out = new double[values.length];
        double average = 0;
        double decay = 1;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                out[i] = Double.NaN;
                continue;
            }
            average = weight * average + (1 - weight) * values[i];
            decay *= weight;
            out[i] = average / (1 - decay);
        }
        return out;
    }
}
