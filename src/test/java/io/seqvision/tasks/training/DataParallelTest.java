package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.MultiTaskDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training's arithmetic, on two replicas that share the CPU: splitting every
 * micro-batch gives the parameters of the un-split run (dropout off: replicas draw their own
 * masks), and the pieces (shards, gradient reduction, weight broadcast) on their own.
 */
class DataParallelTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void twoReplicasTrainLikeOne(@TempDir Path dir) throws Exception {
        // 5 images per micro-batch: shards of 3 and 2; all four tasks, accumulation and both auxiliary losses
        String extra = "training: {batch_size: 5, steps: 3, gradient_accumulation: 2, auxiliary_loss_weight: 0.5,"
                + " auxiliary_keypoint_loss_weight: 0.5,"
                + " coord_label_sigma: 1.0, warmup_steps: 1, log_every: 1}";
        MultiTaskDataset data = TrainingFixtures.syntheticDataset(10, 8);
        SeqVisionConfig one = TrainingFixtures.multiTaskConfig(dir.resolve("one"), 3, 0.0, extra);
        RunDirectory single = new RunDirectory(dir.resolve("one/run"));
        TrainingResult a = new Trainer(one, EncoderRegistry.defaults(), QUIET)
                .onDevices(List.of(Device.cpu()))
                .train(data, single, false, Long.MAX_VALUE);
        SeqVisionConfig two = TrainingFixtures.multiTaskConfig(dir.resolve("two"), 3, 0.0, extra);
        RunDirectory split = new RunDirectory(dir.resolve("two/run"));
        TrainingResult b = new Trainer(two, EncoderRegistry.defaults(), QUIET)
                .onDevices(List.of(Device.cpu(), Device.cpu()))
                .train(data, split, false, Long.MAX_VALUE);

        assertTrue(Files.readString(split.metrics()).contains(",train,loss/keypoints,"), "a keypoint micro-batch ran");
        for (int i = 0; i < a.losses().size(); i++) {
            assertEquals(a.losses().get(i), b.losses().get(i), 1e-5, "loss of step " + i);
        }
        List<float[]> x = TrainerTest.parameters(single.model());
        List<float[]> y = TrainerTest.parameters(split.model());
        for (int i = 0; i < x.size(); i++) {
            assertArrayEquals(x.get(i), y.get(i), 2e-5f, "parameter " + i);
        }
        // the comparison has teeth: the last step alone moves some weight far more than the tolerance
        RunDirectory partial = new RunDirectory(dir.resolve("partial/run"));
        new Trainer(TrainingFixtures.multiTaskConfig(dir.resolve("partial"), 3, 0.0, extra), EncoderRegistry.defaults(),
                QUIET).onDevices(List.of(Device.cpu(), Device.cpu())).train(data, partial, false, 2);
        List<float[]> beforeLastStep = TrainerTest.parameters(partial.latestCheckpoint().orElseThrow());
        double largestChange = TrainerTest.largestDifference(y, beforeLastStep);
        assertTrue(largestChange > 1e-3, "the last step moved weights by at most " + largestChange);
    }

    @Test
    void shardsCoverTheBatchInNearlyEqualContiguousParts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = List.of(parameter(manager, "w", new float[] {1, 2, 3, 4}, new Shape(2, 2)));
            try (DataParallel parallel = new DataParallel(parameters, Linear.builder().setUnits(1).build(),
                    Precision.FP32, List.of(Device.cpu(), Device.cpu(), Device.cpu()), 0.0, manager)) {
                assertEquals(3, parallel.size());
                assertEquals(List.of("0-3", "3-5", "5-7"), describe(parallel.shards(7)));
                assertEquals(List.of("0-1", "1-2"), describe(parallel.shards(2)), "fewer images than replicas");
                assertEquals(List.of("0-2", "2-4", "4-6"), describe(parallel.shards(6)));
            }
        }
    }

    @Test
    void replicasAddTheirGradientsIntoTheFirstAndTakeItsWeightsBack() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = parameter(manager, "w", new float[] {1, 2, 3, 4}, new Shape(2, 2));
            Parameter b = parameter(manager, "b", new float[] {0.5f, -0.5f}, new Shape(2));
            try (DataParallel parallel = new DataParallel(List.of(w, b), Linear.builder().setUnits(1).build(),
                    Precision.FP32, List.of(Device.cpu(), Device.cpu()), 0.0, manager)) {
                // replica 0 sees x = 1, replica 1 sees x = 2: d/dw sum(w * x) = x, d/db sum(b * x) = x
                for (int k = 0; k < 2; k++) {
                    DataParallel.Replica replica = parallel.replica(k);
                    float x = k + 1;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray wv = replica.store().getValue(w, Device.cpu(), true);
                        NDArray bv = replica.store().getValue(b, Device.cpu(), true);
                        collector.backward(wv.mul(x).sum().add(bv.mul(x).sum()));
                    }
                }
                try (NDArray g = parallel.replica(0).flat().gradient(w)) {
                    assertEquals(new Shape(2, 2), g.getShape());
                    assertArrayEquals(new float[] {1, 1, 1, 1}, g.toFloatArray(), "before the reduction");
                }
                parallel.replica(1).flat().addGradientsTo(parallel.replica(0).flat());
                try (NDArray g = parallel.replica(0).flat().gradient(w);
                        NDArray gb = parallel.replica(0).flat().gradient(b)) {
                    assertArrayEquals(new float[] {3, 3, 3, 3}, g.toFloatArray(), "1 + 2 after the reduction");
                    assertArrayEquals(new float[] {3, 3}, gb.toFloatArray());
                }
                // plain SGD through AdamW's first step: every weight moves by lr against the sign of its gradient
                parallel.update(0.1, 0, 1, List.of());
                float[] updated = w.getArray().toFloatArray();
                assertArrayEquals(new float[] {0.9f, 1.9f, 2.9f, 3.9f}, updated, 1e-6f);
                try (NDArray g = parallel.replica(0).flat().gradient(w);
                        NDArray other = parallel.replica(1).flat().gradient(w)) {
                    assertArrayEquals(new float[4], g.toFloatArray(), "the update zeroes the reduced gradient");
                    assertArrayEquals(new float[4], other.toFloatArray(), "the reduction zeroes the replica's");
                }
                NDArray replicaWeights = parallel.replica(1).store().getValue(w, Device.cpu(), false);
                assertArrayEquals(updated, replicaWeights.toFloatArray(), "the replica took the new weights");
                assertArrayEquals(new float[] {0.4f, -0.6f},
                        parallel.replica(1).store().getValue(b, Device.cpu(), false).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void moreDevicesThanTheMachineHasIsAClearError() {
        int gpus = Engine.getInstance().getGpuCount();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DataParallel.devices(gpus + 2));
        assertTrue(e.getMessage().contains("training.devices is " + (gpus + 2)), e.getMessage());
        assertEquals(gpus == 0 ? List.of(Device.cpu()) : List.of(Device.gpu(0)), DataParallel.devices(1));
    }

    private static List<String> describe(List<int[]> shards) {
        return shards.stream().map(r -> r[0] + "-" + r[1]).toList();
    }

    private static Parameter parameter(NDManager manager, String name, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(manager.create(values, shape));
        p.getArray().setRequiresGradient(true);
        return p;
    }
}
