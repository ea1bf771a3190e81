package io.seqvision.tasks.eval;

import io.seqvision.tasks.metrics.ApResult;
import java.util.List;
import java.util.Map;

/**
 * The held-out figures of a model, per task, and the predictions behind them.
 *
 * @param figures         metric name ("detection.ap50", "segmentation.ap", "keypoints.ap50",
 *     "captioning.bleu4", "captioning.cider", ...) to value, for the tasks evaluated
 * @param box             COCO box AP, or null when detection was not evaluated
 * @param report          the per-task COCO summaries as text (for {@code eval.txt})
 * @param imagesPerSecond decoding throughput over every task (encoder and generation)
 */
public record EvaluationResult(Map<String, Double> figures, ApResult box, String report,
        List<ImagePredictions> predictions, double imagesPerSecond) {

    public EvaluationResult {
        figures = Map.copyOf(figures);
        predictions = List.copyOf(predictions);
    }

    /** @throws IllegalArgumentException naming the figures there are when {@code name} is not one */
    public double figure(String name) {
        Double value = figures.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no figure '" + name + "'; there are " + figures.keySet());
        }
        return value;
    }
}
