package io.seqvision.tasks.config;

/**
 * @param coordBins  quantisation bins over the image side
 * @param maxObjects objects per image in a target sequence (extra objects are dropped in
 *     training, with a warning)
 */
public record TokenizerConfig(int coordBins, int maxObjects) {}
