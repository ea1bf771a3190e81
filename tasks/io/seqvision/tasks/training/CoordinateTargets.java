package io.seqvision.tasks.training;

/**
 * Soft targets for coordinate tokens: instead of all probability on the true bin, a Gaussian over
 * neighbouring bins ({@code sigma} in bins), so that a prediction one bin off is scored as nearly
 * right rather than as wrong as any other bin. The argmax stays the true bin. Other tokens keep
 * hard targets. {@code sigma = 0} gives plain cross-entropy.
 *
 * @param hardWeights per position, the weight of the hard cross-entropy term (0 at coordinate positions)
 * @param softWeights per position, the weight of the soft term (0 elsewhere)
 * @param soft        per position, a distribution over the {@code bins} coordinate tokens, (B, L, bins)
 */
public record CoordinateTargets(int start, int bins, float[] hardWeights, float[] softWeights, float[] soft) {

    public static CoordinateTargets of(SequenceBatch batch, int start, int bins, double sigma) {
        int positions = batch.targets().length;
        float[] hard = batch.weights().clone();
        float[] softWeights = new float[positions];
        float[] soft = new float[positions * bins];
        if (sigma <= 0) {
            return new CoordinateTargets(start, bins, hard, softWeights, soft);
        }
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        for (int d = -radius; d <= radius; d++) {
            kernel[d + radius] = (float) Math.exp(-d * d / (2 * sigma * sigma));
        }
        for (int p = 0; p < positions; p++) {
            int bin = (int) batch.targets()[p] - start;
            if (bin < 0 || bin >= bins || batch.weights()[p] == 0) {
                continue;
            }
            softWeights[p] = hard[p];
            hard[p] = 0;
            float total = 0;
            for (int d = -radius; d <= radius; d++) {
                int b = bin + d;
                if (b >= 0 && b < bins) {
                    total += kernel[d + radius];
                }
            }
            for (int d = -radius; d <= radius; d++) {
                int b = bin + d;
                if (b >= 0 && b < bins) {
                    soft[p * bins + b] = kernel[d + radius] / total;
                }
            }
        }
        return new CoordinateTargets(start, bins, hard, softWeights, soft);
    }
}
