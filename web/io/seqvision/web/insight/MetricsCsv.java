package io.seqvision.web.insight;

import io.seqvision.tasks.curves.MetricRow;
import io.seqvision.tasks.curves.MetricsLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.seqvision.web.api.LearningCurves;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a training run's {@code metrics.csv} into columns: the trainer's long format ({@code
 * step,kind,name,value}, {@link MetricsLog}) pivoted to one column per metric and one row per
 * step (null where a metric has no value at that step), or a wide file (header line, then
 * numbers) as it is.
 */
public final class MetricsCsv {

    private MetricsCsv() {}

    /**
     * @throws IllegalArgumentException naming the file and line if the header is missing or a row
     *     has the wrong number of cells
     */
    public static LearningCurves read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new IllegalArgumentException(file + " has no header line");
        }
        List<String> columns = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
        if (columns.equals(List.of("step", "kind", "name", "value"))) {
            return pivot(file);
        }
        List<List<Double>> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size()) {
                if (n == lines.size() - 1) {
                    break; // the trainer may be appending this line right now
                }
                throw new IllegalArgumentException(file + " line " + (n + 1) + " has " + cells.length
                        + " cells, the header " + columns.size());
            }
            List<Double> row = new ArrayList<>(cells.length);
            for (String cell : cells) {
                row.add(number(cell.trim()));
            }
            rows.add(row);
        }
        return new LearningCurves(file.toString(), columns, rows);
    }

    private static LearningCurves pivot(Path file) {
        List<MetricRow> metricRows = MetricsLog.readRows(file);
        Map<String, Integer> columnOf = new LinkedHashMap<>();
        columnOf.put("step", 0);
        TreeMap<Long, Double[]> byStep = new TreeMap<>();
        for (MetricRow row : metricRows) {
            columnOf.putIfAbsent(row.name(), columnOf.size());
        }
        for (MetricRow row : metricRows) {
            Double[] cells = byStep.computeIfAbsent(row.step(), s -> new Double[columnOf.size()]);
            cells[0] = (double) row.step();
            cells[columnOf.get(row.name())] = Double.isFinite(row.value()) ? row.value() : null;
        }
        List<List<Double>> rows = new ArrayList<>();
        byStep.values().forEach(cells -> rows.add(Arrays.asList(cells)));
        return new LearningCurves(file.toString(), List.copyOf(columnOf.keySet()), rows);
    }

    private static Double number(String cell) {
        try {
            double value = Double.parseDouble(cell);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
