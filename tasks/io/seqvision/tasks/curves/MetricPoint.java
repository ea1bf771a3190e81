package io.seqvision.tasks.curves;

/** One value of a metric at a training step; the value may be NaN or infinite (a diverged loss). */
public record MetricPoint(long step, double value) {}
