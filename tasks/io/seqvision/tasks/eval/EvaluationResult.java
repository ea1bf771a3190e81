package io.seqvision.tasks.eval;

import io.seqvision.tasks.metrics.ApResult;
import java.util.List;

/**
 * Box AP on a held-out split and the predictions behind it.
 *
 * @param imagesPerSecond decoding throughput (encoder and generation)
 */
public record EvaluationResult(ApResult ap, List<ImagePredictions> predictions, double imagesPerSecond) {}
