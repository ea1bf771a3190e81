package io.seqvision.tasks.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurvePanelTest {

    @Test
    void metricsAreGroupedByNameAndKind() {
        List<CurvePanel> panels = CurvePanel.group(List.of(
                series("eval/caption/bleu4", MetricKind.EVAL, 0.2),
                series("images_per_second", MetricKind.TRAIN, 140),
                series("loss/detection", MetricKind.TRAIN, 1),
                series("grad_norm", MetricKind.TRAIN, 3),
                series("learning_rate", MetricKind.TRAIN, 1e-4),
                series("loss", MetricKind.TRAIN, 2),
                series("eval/detection/ap50", MetricKind.EVAL, 0.5),
                series("loss/caption", MetricKind.TRAIN, Double.NaN)));
        assertEquals(List.of("loss", "learning rate", "throughput", "evaluation", "other"),
                panels.stream().map(CurvePanel::title).toList());
        assertEquals(List.of("loss/detection", "loss"), names(panels.get(0)), "a series with no finite value is left out");
        assertEquals(CurvePanel.Style.SMOOTHED, panels.get(0).style());
        assertEquals(List.of("eval/caption/bleu4", "eval/detection/ap50"), names(panels.get(3)));
        assertEquals(CurvePanel.Style.MARKERS, panels.get(3).style());
        assertEquals(List.of("grad_norm"), names(panels.get(4)));
        assertEquals(CurvePanel.Style.LINES, panels.get(4).style());
    }

    @Test
    void panelsWithNothingToDrawAreLeftOut() {
        List<CurvePanel> panels = CurvePanel.group(List.of(series("loss", MetricKind.TRAIN, Double.NaN),
                new MetricSeries("learning_rate", MetricKind.TRAIN, List.of())));
        assertEquals(List.of(), panels);
    }

    private static MetricSeries series(String name, MetricKind kind, double value) {
        return new MetricSeries(name, kind, List.of(new MetricPoint(1, value)));
    }

    private static List<String> names(CurvePanel panel) {
        return panel.series().stream().map(MetricSeries::name).toList();
    }
}
