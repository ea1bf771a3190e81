/**
 * The library API: load a trained seqvision model directory and use it from Java; the web layer,
 * the CLI and the Spark job call only this package.
 *
 * <ul>
 *   <li>{@link io.seqvision.tasks.api.SeqVisionModel}: {@code load(dir)} (or {@code load()} for the
 *       shipped model), {@code detect(image)} returning {@link io.seqvision.tasks.api.DetectionResult}
 *       ({@code toDetectedObjects()} for DJL), {@code analyze(image, tasks, options)} returning an
 *       {@link io.seqvision.tasks.api.Analysis} (boxes, masks, poses and the caption), and {@code
 *       generate(image, prompt, options)} for raw tokens and probabilities.
 *   <li>One result type from decoding to every caller: {@link io.seqvision.tasks.api.Analysis} of
 *       {@link io.seqvision.tasks.api.AnalyzedObject}s ({@link io.seqvision.tasks.api.Detection},
 *       polygons, {@link io.seqvision.tasks.api.PosePoint}s), made by {@link
 *       io.seqvision.tasks.api.MultiTaskPredictor}, in pixels of the image given ({@link
 *       io.seqvision.tasks.api.ImageFrame}).
 *   <li>{@link io.seqvision.tasks.DecodingOptions}: greedy, temperature, top-k or nucleus
 *       sampling, seeded; defaults come from the model's config.
 *   <li>{@link io.seqvision.tasks.api.djl}: every task through DJL's {@code Criteria}: {@code
 *       DetectedObjects} (with {@code Mask} for masks), {@code Joints} per person, captions as text.
 * </ul>
 */
package io.seqvision.tasks.api;
