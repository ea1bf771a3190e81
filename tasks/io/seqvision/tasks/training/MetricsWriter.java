package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Averages step losses over a logging window and appends them, with the learning rate,
 * throughput and evaluations, to the run's {@code metrics.csv} in long form ({@code
 * step,kind,name,value}), so new figures never change the header.
 */
final class MetricsWriter {

    private final RunDirectory run;
    private final Map<TaskKind, double[]> perTask = new EnumMap<>(TaskKind.class);
    private double sum;
    private int steps;

    MetricsWriter(RunDirectory run, long startStep) {
        this.run = run;
    }

    void add(StepLoss loss) {
        sum += loss.total();
        steps++;
        loss.perTask().forEach((task, entry) -> {
            double[] window = perTask.computeIfAbsent(task, k -> new double[2]);
            window[0] += entry[0];
            window[1] += entry[1];
        });
    }

    double windowMean() {
        return steps == 0 ? Double.NaN : sum / steps;
    }

    void flush(long step, double learningRate, double imagesPerSecond) {
        StringBuilder rows = new StringBuilder();
        row(rows, step, "train", "loss", windowMean());
        perTask.forEach((task, entry) -> row(rows, step, "train", "loss/" + task.id(), entry[0] / entry[1]));
        row(rows, step, "train", "learning_rate", learningRate);
        row(rows, step, "train", "images_per_second", imagesPerSecond);
        append(rows.toString());
        perTask.clear();
        sum = 0;
        steps = 0;
    }

    void evaluation(long step, Map<String, Double> scores) {
        StringBuilder rows = new StringBuilder();
        scores.forEach((name, value) -> row(rows, step, "eval", name, value));
        append(rows.toString());
    }

    private static void row(StringBuilder rows, long step, String kind, String name, double value) {
        rows.append(String.format(Locale.ROOT, "%d,%s,%s,%.6g%n", step, kind, name, value));
    }

    private void append(String rows) {
        try {
            Files.createDirectories(run.root());
            boolean fresh = !Files.exists(run.metrics());
            Files.writeString(run.metrics(), (fresh ? "step,kind,name,value\n" : "") + rows,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + run.metrics() + ": " + e.getMessage(), e);
        }
    }
}
