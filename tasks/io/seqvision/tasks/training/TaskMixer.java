package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;
import java.util.List;
import java.util.Random;

/**
 * Which task each micro-batch trains: drawn with probability proportional to the tasks' mixing
 * weights, as a pure function of (seed, micro-batch), so a resumed run draws what an uninterrupted
 * one would. Also counts how many micro-batches of the same task came before, which indexes that
 * task's own epochs of examples.
 */
final class TaskMixer {

    private final List<TaskKind> tasks;
    private final double[] cumulative;
    private final long seed;
    private long countedUpTo;
    private final long[] counts;

    /**
     * @param tasks   the trained tasks
     * @param weights their mixing weights, all positive
     */
    TaskMixer(List<TaskKind> tasks, double[] weights, long seed) {
        if (tasks.isEmpty() || tasks.size() != weights.length) {
            throw new IllegalArgumentException("need one positive weight per task, got " + tasks + " and "
                    + weights.length + " weights");
        }
        this.tasks = List.copyOf(tasks);
        this.cumulative = new double[weights.length];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0)) {
                throw new IllegalArgumentException("mixing weight of " + tasks.get(i) + " must be positive, got "
                        + weights[i]);
            }
            total += weights[i];
            cumulative[i] = total;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
        this.seed = seed;
        this.counts = new long[tasks.size()];
    }

    TaskKind task(long microBatch) {
        return tasks.get(index(microBatch));
    }

    private int index(long microBatch) {
        if (tasks.size() == 1) {
            return 0;
        }
        double u = new Random(seed * 0x2545F4914F6CDD1DL + microBatch * 0x9E3779B97F4A7C15L).nextDouble();
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /**
     * How many earlier micro-batches drew the same task as {@code microBatch}. Calls must come in
     * increasing order of micro-batch (a resumed run replays the draws it skipped).
     */
    long occurrence(long microBatch) {
        if (microBatch < countedUpTo) {
            throw new IllegalStateException("micro-batches must be asked in order: " + microBatch + " after "
                    + countedUpTo);
        }
        while (countedUpTo < microBatch) {
            counts[index(countedUpTo)]++;
            countedUpTo++;
        }
        return counts[index(microBatch)];
    }
}
