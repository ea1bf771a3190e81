package io.seqvision.tasks.training;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run did.
 *
 * @param startStep       the step it began at (non-zero when resumed)
 * @param endStep         the step it stopped after
 * @param losses          the loss of every step it ran, in order
 * @param imagesPerSecond training throughput over the run (data preparation included)
 * @param modelDir        the final model bundle
 */
public record TrainingResult(
        long startStep, long endStep, List<Double> losses, double imagesPerSecond, double seconds, Path modelDir) {

    public TrainingResult {
        losses = List.copyOf(losses);
    }

    /** Mean loss of the first {@code n} steps run. */
    public double meanFirst(int n) {
        return losses.subList(0, Math.min(n, losses.size())).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Mean loss of the last {@code n} steps run. */
    public double meanLast(int n) {
        return losses.subList(Math.max(0, losses.size() - n), losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
