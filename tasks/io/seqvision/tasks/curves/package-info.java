/**
 * Training metrics on disk and as pictures.
 *
 * <ul>
 *   <li>{@link io.seqvision.tasks.curves.MetricsLog}: a run's append-only metrics file, CSV in long
 *       format ({@code step,kind,name,value}), so that per-task losses and evaluation metrics add
 *       rows, never columns. {@code resume(file, step)} drops rows written after the checkpoint a
 *       run resumes from. {@code read(file)} gives one {@link io.seqvision.tasks.curves.MetricSeries}
 *       per name; malformed lines are errors naming the file and line.
 *   <li>{@link io.seqvision.tasks.curves.LearningCurves}: draws those series with Java2D (headless)
 *       into a PNG: losses raw and smoothed ({@link io.seqvision.tasks.curves.Ema}), learning rate,
 *       throughput, evaluation metrics; {@code render(metricsFile, png)} does both steps.
 * </ul>
 *
 * <p>Metric names, by convention: {@code loss} and {@code loss/<task>} per training step, {@code
 * learning_rate}, {@code images_per_second}, and {@code eval/<task>/<metric>} (kind {@code eval}),
 * for example {@code eval/detection/ap50} or {@code eval/caption/bleu4}. The names decide the
 * panel a curve is drawn in.
 */
package io.seqvision.tasks.curves;
