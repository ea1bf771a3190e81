package io.seqvision.tasks.curves;

import java.util.List;

/** All values of one metric in step order, as read from a metrics file. */
public record MetricSeries(String name, MetricKind kind, List<MetricPoint> points) {

    public MetricSeries {
        MetricRow.checkName(name);
        points = List.copyOf(points);
    }

    /** The points whose value is a finite number; NaN and infinite values are left out. */
    public List<MetricPoint> finitePoints() {
        return points.stream().filter(p -> Double.isFinite(p.value())).toList();
    }

    public MetricPoint last() {
        if (points.isEmpty()) {
            throw new IllegalStateException("metric '" + name + "' has no values");
        }
        return points.get(points.size() - 1);
    }
}
