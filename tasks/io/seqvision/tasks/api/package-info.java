/**
 * The library API: load a trained seqvision model directory and use it from Java.
 *
 * <ul>
 *   <li>{@link io.seqvision.tasks.api.SeqVisionModel}: {@code load(dir)}, {@code detect(image)}
 *       returning {@link io.seqvision.tasks.api.DetectionResult} (boxes in pixels of the original
 *       image, class names, scores; {@code toDetectedObjects()} for DJL), and {@code
 *       generate(image, prompt, options)} for raw tokens and probabilities.
 *   <li>{@link io.seqvision.tasks.DecodingOptions}: greedy, temperature, top-k or nucleus
 *       sampling, seeded; defaults come from the model's config.
 *   <li>{@link io.seqvision.tasks.api.djl}: the same model through DJL's {@code Criteria}, {@code
 *       ZooModel} and {@code Predictor<Image, DetectedObjects>}.
 * </ul>
 *
 * <p>Detection is the one task trained models support today; instance segmentation, keypoints and
 * captioning arrive with the multi-task models. The web layer calls only this package.
 */
package io.seqvision.tasks.api;
