package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;
import java.util.EnumMap;
import java.util.Map;

/** The next-token losses of one optimizer step: the mean over its micro-batches, and per task. */
final class StepLoss {

    private final Map<TaskKind, double[]> perTask = new EnumMap<>(TaskKind.class);
    private double sum;
    private int count;

    void add(TaskKind task, double loss) {
        double[] entry = perTask.computeIfAbsent(task, k -> new double[2]);
        entry[0] += loss;
        entry[1]++;
        sum += loss;
        count++;
    }

    double total() {
        return sum / count;
    }

    /** Task -> (sum of losses, micro-batches). */
    Map<TaskKind, double[]> perTask() {
        return perTask;
    }
}
