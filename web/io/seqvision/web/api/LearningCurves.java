package io.seqvision.web.api;

import java.util.List;

/**
 * A run's {@code metrics.csv} as columns of numbers.
 *
 * @param source the file read
 * @param columns the header's names, {@code step} first
 * @param rows one row per logged step, values in column order; {@code null} where a cell is empty
 *     or not a finite number
 */
public record LearningCurves(String source, List<String> columns, List<List<Double>> rows) {

    public LearningCurves {
        columns = List.copyOf(columns);
        rows = rows.stream().map(row -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(row))).toList();
    }
}
