package io.seqvision.tasks.curves;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One plot of the learning-curves image and the series it shows.
 *
 * <p>Grouping, by name and kind: training {@code loss} and {@code loss/...} (per-task losses)
 * share the loss panel, drawn raw and smoothed; {@code learning_rate}; {@code ..._per_second}
 * (throughput); every eval metric in the evaluation panel, as lines with markers; any other
 * training metric in an "other" panel, so nothing written is left undrawn.
 */
record CurvePanel(String title, Style style, List<MetricSeries> series) {

    enum Style {
        /** Faint raw line under a bold exponential moving average. */
        SMOOTHED,
        /** One line per series. */
        LINES,
        /** Lines with a marker at every point: sparse values such as evaluations. */
        MARKERS
    }

    CurvePanel {
        series = List.copyOf(series);
    }

    /** The panels for these series in a fixed order; series with no finite value and empty panels are left out. */
    static List<CurvePanel> group(Collection<MetricSeries> all) {
        Map<String, List<MetricSeries>> byPanel = new LinkedHashMap<>();
        for (String title : List.of("loss", "learning rate", "throughput", "evaluation", "other")) {
            byPanel.put(title, new ArrayList<>());
        }
        for (MetricSeries s : all) {
            if (!s.finitePoints().isEmpty()) {
                byPanel.get(panelOf(s)).add(s);
            }
        }
        List<CurvePanel> panels = new ArrayList<>();
        byPanel.forEach((title, list) -> {
            if (!list.isEmpty()) {
                panels.add(new CurvePanel(title, styleOf(title), list));
            }
        });
        return panels;
    }

    private static String panelOf(MetricSeries s) {
        String name = s.name();
        if (s.kind() == MetricKind.EVAL) {
            return "evaluation";
        }
        if (name.equals("loss") || name.startsWith("loss/")) {
            return "loss";
        }
        if (name.equals("learning_rate") || name.startsWith("learning_rate/")) {
            return "learning rate";
        }
        if (name.endsWith("_per_second")) {
            return "throughput";
        }
        return "other";
    }

    private static Style styleOf(String title) {
        return switch (title) {
            case "loss" -> Style.SMOOTHED;
            case "evaluation" -> Style.MARKERS;
            default -> Style.LINES;
        };
    }
}
