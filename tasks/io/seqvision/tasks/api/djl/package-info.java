/**
 * seqvision models as DJL models: {@link io.seqvision.tasks.api.djl.SeqVisionCriteria} builds a
 * {@code Criteria<Image, DetectedObjects>} for a model directory; {@link
 * io.seqvision.tasks.api.djl.DetectionBlockFactory} builds the network and loads its parameters
 * into the DJL model; {@link io.seqvision.tasks.api.djl.DetectionBlock} runs the whole generation in
 * its forward pass; {@link io.seqvision.tasks.api.djl.DetectionTranslator} turns images into its
 * input and its tokens into {@code DetectedObjects}.
 */
package io.seqvision.tasks.api.djl;
