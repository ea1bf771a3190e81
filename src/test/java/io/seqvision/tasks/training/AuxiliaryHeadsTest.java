package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.config.TrainingConfig;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuxiliaryHeadsTest {

    private static final int GRID = 3;
    private static final int CELLS = GRID * GRID;
    private static final int WIDTH = 5;
    private static final int IMAGES = 3;

    @Test
    void keypointLossIsTheSoftTargetCrossEntropyOverCells(@TempDir Path dir) {
        Random random = new Random(11);
        MicroBatch batch = keypointBatch(random);
        float[] memory = new float[IMAGES * CELLS * WIDTH];
        for (int i = 0; i < memory.length; i++) {
            memory[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            AuxiliaryHeads heads = AuxiliaryHeads.create(training(dir, 0.0, 0.7), 4, WIDTH, GRID, true, manager);
            List<Parameter> parameters = heads.parameters();
            assertEquals(2, parameters.size(), "the keypoint head alone: weight and bias");
            float[] weight = parameters.get(0).getArray().toFloatArray();
            float[] bias = parameters.get(1).getArray().toFloatArray();
            ParameterStore store = new ParameterStore(manager, false);
            NDArray input = manager.create(memory, new Shape(IMAGES, CELLS, WIDTH));
            float whole = heads.loss(store, input, batch, 0, IMAGES, manager).getFloat();

            double expected = 0.7 * reference(memory, weight, bias, batch.keypointCells()) / batch.labelledKeypoints();
            assertEquals(expected, whole, 1e-5 * Math.abs(expected));

            // shards normalise by the whole micro-batch, so they add up to it
            float first = heads.loss(store, input.get("0:1"), batch, 0, 1, manager).getFloat();
            float rest = heads.loss(store, input.get("1:"), batch, 1, IMAGES, manager).getFloat();
            assertEquals(whole, first + rest, 1e-5f);
        }
    }

    @Test
    void theKeypointHeadTakesPartOnlyInKeypointMicroBatches(@TempDir Path dir) {
        MicroBatch keypoints = keypointBatch(new Random(2));
        MicroBatch detection = new MicroBatch(TaskKind.DETECTION, IMAGES, new float[0], null, new long[IMAGES * CELLS],
                new float[0], 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray memory = manager.randomNormal(new Shape(IMAGES, CELLS, WIDTH));
            ParameterStore store = new ParameterStore(manager, false);
            AuxiliaryHeads heads = AuxiliaryHeads.create(training(dir, 0.0, 1.0), 4, WIDTH, GRID, true, manager);
            assertNull(heads.loss(store, memory, detection, 0, IMAGES, manager));
            assertTrue(heads.loss(store, memory, keypoints, 0, IMAGES, manager).getFloat() > 0);
            AuxiliaryHeads none = AuxiliaryHeads.create(training(dir, 0.0, 1.0), 4, WIDTH, GRID, false, manager);
            assertTrue(none.parameters().isEmpty(), "no keypoint head for a model without the keypoint task");
            AuxiliaryHeads both = AuxiliaryHeads.create(training(dir, 0.5, 1.0), 4, WIDTH, GRID, true, manager);
            assertEquals(4, both.parameters().size());
            float objectnessOnly = both.loss(store, memory, detection, 0, IMAGES, manager).getFloat();
            float withKeypoints = both.loss(store, memory, keypoints, 0, IMAGES, manager).getFloat();
            assertTrue(withKeypoints > objectnessOnly, withKeypoints + " vs " + objectnessOnly);
        }
    }

    @Test
    void headsSurviveACheckpointAndAMissingFileIsNamed(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            AuxiliaryHeads saved = AuxiliaryHeads.create(training(dir, 0.5, 1.0), 4, WIDTH, GRID, true, manager);
            Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
            saved.save(checkpoint);
            AuxiliaryHeads loaded = AuxiliaryHeads.create(training(dir, 0.5, 1.0), 4, WIDTH, GRID, true, manager);
            loaded.load(checkpoint, manager);
            for (int i = 0; i < 4; i++) {
                assertEquals(saved.parameters().get(i).getArray(), loaded.parameters().get(i).getArray());
            }
            Files.delete(checkpoint.resolve("keypoint-cells.params"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loaded.load(checkpoint, manager));
            assertTrue(e.getMessage().contains("keypoint-cells.params"), e.getMessage());
        }
    }

    /** {@code -sum targets * log softmax over cells} of the head's logits, in plain Java. */
    private static double reference(float[] memory, float[] weight, float[] bias, float[] targets) {
        double total = 0;
        for (int b = 0; b < IMAGES; b++) {
            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                double[] logits = new double[CELLS];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < CELLS; c++) {
                    double z = bias[k];
                    for (int d = 0; d < WIDTH; d++) {
                        z += weight[k * WIDTH + d] * memory[(b * CELLS + c) * WIDTH + d];
                    }
                    logits[c] = z;
                    max = Math.max(max, z);
                }
                double normaliser = 0;
                for (double z : logits) {
                    normaliser += Math.exp(z - max);
                }
                for (int c = 0; c < CELLS; c++) {
                    double logP = logits[c] - max - Math.log(normaliser);
                    total -= targets[(b * CocoKeypoints.COUNT + k) * CELLS + c] * logP;
                }
            }
        }
        return total;
    }

    private static MicroBatch keypointBatch(Random random) {
        float[] targets = new float[IMAGES * CocoKeypoints.COUNT * CELLS];
        int labelled = 0;
        for (int b = 0; b < IMAGES; b++) {
            List<Keypoint> pose = new ArrayList<>();
            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                pose.add(random.nextInt(4) == 0 ? Keypoint.UNLABELLED
                        : new Keypoint(random.nextDouble(), random.nextDouble(), 2));
            }
            labelled += KeypointCellTargets.label(pose, GRID, targets, b * CocoKeypoints.COUNT * CELLS);
        }
        return new MicroBatch(TaskKind.KEYPOINTS, IMAGES, new float[0], null, new long[IMAGES * CELLS], targets,
                labelled);
    }

    private static TrainingConfig training(Path dir, double objectness, double keypoints) {
        return TrainingFixtures.tinyConfig(dir, 5, 0.0, "training: {auxiliary_loss_weight: " + objectness
                + ", auxiliary_keypoint_loss_weight: " + keypoints + "}").training();
    }
}
