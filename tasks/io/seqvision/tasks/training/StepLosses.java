package io.seqvision.tasks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqvision.tasks.TaskKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The micro-batch losses of the steps since the trainer last logged, kept on the device so that a
 * step never waits for the host: each micro-batch's shards add into one scalar, and {@link #drain}
 * reads them all in one host read and groups them into {@link StepLoss}es.
 */
final class StepLosses implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> values = new ArrayList<>();
    private final List<TaskKind> tasks = new ArrayList<>();
    private final List<Integer> stepEnds = new ArrayList<>();

    /** @param manager where the scalars live: the device the losses are summed on */
    StepLosses(NDManager manager) {
        this.manager = manager;
    }

    /** A zero scalar for the next micro-batch's loss (of {@code task}) to be added into. */
    NDArray newMicroBatch(TaskKind task) {
        NDArray value = manager.zeros(new Shape(), DataType.FLOAT32);
        NDScope.unregister(value);
        values.add(value);
        tasks.add(task);
        return value;
    }

    /** Marks the micro-batches since the previous call as one optimizer step's. */
    void endStep() {
        stepEnds.add(values.size());
    }

    /** The completed steps' losses, oldest first; forgets them. */
    List<StepLoss> drain() {
        int complete = stepEnds.isEmpty() ? 0 : stepEnds.get(stepEnds.size() - 1);
        if (complete == 0) {
            return List.of();
        }
        float[] read;
        try (NDArray stacked = NDArrays.stack(new NDList(values.subList(0, complete)))) {
            read = stacked.toFloatArray();
        }
        List<StepLoss> steps = new ArrayList<>(stepEnds.size());
        int start = 0;
        for (int end : stepEnds) {
            StepLoss step = new StepLoss();
            for (int i = start; i < end; i++) {
                step.add(tasks.get(i), read[i]);
            }
            steps.add(step);
            start = end;
        }
        for (int i = 0; i < complete; i++) {
            values.get(i).close();
        }
        values.subList(0, complete).clear();
        tasks.subList(0, complete).clear();
        stepEnds.clear();
        return steps;
    }

    @Override
    public void close() {
        values.forEach(NDArray::close);
        values.clear();
        tasks.clear();
        stepEnds.clear();
    }
}
