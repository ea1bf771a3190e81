package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.curves.MetricKind;
import io.seqvision.tasks.curves.MetricsLog;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Averages step losses over a logging window and appends them, with the learning rate,
 * throughput and evaluations, to the run's {@code metrics.csv} through {@link MetricsLog} (a
 * resumed run first drops the rows written after its checkpoint, and continues the window its
 * checkpoint saved, so that its first row averages the same steps as an uninterrupted run's).
 */
final class MetricsWriter {

    private final MetricsLog log;
    private final Map<TaskKind, double[]> perTask = new EnumMap<>(TaskKind.class);
    private double sum;
    private int steps;

    MetricsWriter(RunDirectory run, long startStep) {
        try {
            java.nio.file.Files.createDirectories(run.root());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the run directory " + run.root(), e);
        }
        this.log = startStep > 0 ? MetricsLog.resume(run.metrics(), startStep) : MetricsLog.start(run.metrics());
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
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", windowMean());
        perTask.forEach((task, entry) -> values.put("loss/" + task.id(), entry[0] / entry[1]));
        values.put("learning_rate", learningRate);
        values.put("images_per_second", imagesPerSecond);
        log.append(step, MetricKind.TRAIN, values);
        perTask.clear();
        sum = 0;
        steps = 0;
    }

    /** Writes the open window (the steps since the last row), so that a resume continues it exactly. */
    void saveWindow(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeDouble(sum);
        out.writeInt(steps);
        out.writeInt(perTask.size());
        for (Map.Entry<TaskKind, double[]> entry : perTask.entrySet()) {
            out.writeUTF(entry.getKey().id());
            out.writeDouble(entry.getValue()[0]);
            out.writeDouble(entry.getValue()[1]);
        }
    }

    void loadWindow(java.io.DataInputStream in) throws java.io.IOException {
        double loadedSum = in.readDouble();
        int loadedSteps = in.readInt();
        int tasks = in.readInt();
        if (loadedSteps < 0 || tasks < 0 || tasks > TaskKind.values().length) {
            throw new java.io.IOException("malformed metrics window (" + loadedSteps + " steps, " + tasks + " tasks)");
        }
        Map<TaskKind, double[]> loaded = new EnumMap<>(TaskKind.class);
        for (int i = 0; i < tasks; i++) {
            String id = in.readUTF();
            TaskKind task = java.util.Arrays.stream(TaskKind.values()).filter(k -> k.id().equals(id)).findFirst()
                    .orElseThrow(() -> new java.io.IOException("unknown task '" + id + "' in the metrics window"));
            loaded.put(task, new double[] {in.readDouble(), in.readDouble()});
        }
        sum = loadedSum;
        steps = loadedSteps;
        perTask.clear();
        perTask.putAll(loaded);
    }

    void evaluation(long step, Map<String, Double> scores) {
        log.append(step, MetricKind.EVAL, new LinkedHashMap<>(new java.util.TreeMap<>(scores)));
    }
}
