package io.seqvision.tasks.config;

/**
 * Decoding for evaluation and prediction.
 *
 * @param sampler   "greedy" or "nucleus"
 * @param topP      nucleus mass (Pix2Seq used 0.4 for boxes)
 * @param maxImages evaluate on at most this many held-out images (0 = all)
 */
public record EvalConfig(String sampler, double topP, double temperature, int batchSize, int maxImages) {}
