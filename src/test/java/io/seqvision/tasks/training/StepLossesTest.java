package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.seqvision.tasks.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepLossesTest {

    @Test
    void drainGroupsMicroBatchesIntoStepsAndFreesTheirArrays() {
        try (NDManager manager = NDManager.newBaseManager(); StepLosses losses = new StepLosses(manager)) {
            int before = manager.getManagedArrays().size();
            add(losses, TaskKind.DETECTION, 1.0f, 0.5f); // two shards of one micro-batch
            add(losses, TaskKind.CAPTIONING, 3.0f);
            losses.endStep();
            add(losses, TaskKind.DETECTION, 2.0f);
            add(losses, TaskKind.DETECTION, 4.0f);
            losses.endStep();
            List<StepLoss> steps = losses.drain();
            assertEquals(2, steps.size());
            assertEquals((1.5 + 3.0) / 2, steps.get(0).total(), 1e-6);
            assertEquals(1.5, steps.get(0).perTask().get(TaskKind.DETECTION)[0], 1e-6);
            assertEquals(3.0, steps.get(0).perTask().get(TaskKind.CAPTIONING)[0], 1e-6);
            assertEquals(3.0, steps.get(1).total(), 1e-6);
            assertEquals(2, steps.get(1).perTask().get(TaskKind.DETECTION)[1], "two micro-batches");
            assertEquals(before, manager.getManagedArrays().size(), "drained scalars are closed");
            assertTrue(losses.drain().isEmpty());
        }
    }

    private static void add(StepLosses losses, TaskKind task, float... shards) {
        NDArray value = losses.newMicroBatch(task);
        for (float shard : shards) {
            try (NDArray s = value.getManager().create(shard)) {
                value.addi(s);
            }
        }
    }
}
