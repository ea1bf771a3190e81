package io.seqvision.tasks.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.seqvision.encoder.common.DifferentiableCast;
import io.seqvision.encoder.engine.Scalars;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.config.TrainingConfig;
import io.seqvision.tokenizers.CocoKeypoints;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training-only heads on the encoder's memory {@code (B, grid * grid, D)}: objectness (a
 * class or background per cell, {@link ObjectnessTargets}) on every micro-batch, and keypoint
 * cells (per COCO keypoint a distribution over the cells, {@link KeypointCellTargets}) on keypoint
 * micro-batches. Each is a linear layer, present only when its loss weight is positive; both are
 * trained with the model and checkpointed for an exact resume, and neither is saved with the model.
 */
final class AuxiliaryHeads {

    private static final String OBJECTNESS_FILE = "objectness.params";
    private static final String KEYPOINT_FILE = "keypoint-cells.params";

    private final Linear objectness;
    private final Linear keypoints;
    private final float objectnessWeight;
    private final float keypointWeight;

    private AuxiliaryHeads(Linear objectness, Linear keypoints, double objectnessWeight, double keypointWeight) {
        this.objectness = objectness;
        this.keypoints = keypoints;
        this.objectnessWeight = (float) objectnessWeight;
        this.keypointWeight = (float) keypointWeight;
    }

    /**
     * @param numClasses the detection classes (objectness adds background)
     * @param width      the memory's width D
     * @param grid       the memory's side in cells
     * @param keypointTask whether the model trains keypoints (the keypoint head is made only then)
     */
    static AuxiliaryHeads create(TrainingConfig training, int numClasses, int width, int grid, boolean keypointTask,
            NDManager manager) {
        Shape memory = new Shape(1, (long) grid * grid, width);
        Linear objectness = training.auxiliaryLossWeight() > 0 ? head(numClasses + 1L, memory, manager) : null;
        Linear keypoints = keypointTask && training.auxiliaryKeypointLossWeight() > 0
                ? head(CocoKeypoints.COUNT, memory, manager) : null;
        return new AuxiliaryHeads(objectness, keypoints, training.auxiliaryLossWeight(),
                training.auxiliaryKeypointLossWeight());
    }

    private static Linear head(long units, Shape memory, NDManager manager) {
        Linear head = Linear.builder().setUnits(units).build();
        head.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        head.initialize(manager, DataType.FLOAT32, memory);
        return head;
    }

    /** The heads' trainable parameters, with gradients switched on. */
    List<Parameter> parameters() {
        List<Parameter> parameters = new ArrayList<>();
        for (Linear head : heads()) {
            parameters.addAll(Trainer.trainableParameters(head));
        }
        return parameters;
    }

    /**
     * The weighted auxiliary losses of images {@code [from, to)} of {@code batch}, normalised by
     * the whole micro-batch's count (cells, labelled keypoints) so that shards add up; null when
     * no head applies to this micro-batch.
     *
     * @param memory the shard's memory {@code (to - from, grid * grid, D)}
     */
    NDArray loss(ParameterStore store, NDArray memory, MicroBatch batch, int from, int to, NDManager manager) {
        NDArray total = null;
        int rows = to - from;
        int images = batch.images();
        if (objectness != null) {
            int cells = batch.cellLabels().length / images;
            NDArray logits = objectness.forward(store, new NDList(memory), true).singletonOrThrow();
            NDArray labels = manager.create(Trainer.rows(batch.cellLabels(), from, to, images, cells),
                    new Shape(rows, cells));
            NDArray loss = Scalars.div(DifferentiableCast.to(logits, DataType.FLOAT32).logSoftmax(-1)
                    .gather(labels.expandDims(-1), -1).sum().neg(), (float) images * cells);
            total = Scalars.mul(loss, objectnessWeight);
        }
        if (keypoints != null && batch.task() == TaskKind.KEYPOINTS && batch.labelledKeypoints() > 0) {
            int perImage = batch.keypointCells().length / images;
            int cells = perImage / CocoKeypoints.COUNT;
            NDArray logits = keypoints.forward(store, new NDList(memory), true).singletonOrThrow();
            NDArray targets = manager.create(Trainer.rows(batch.keypointCells(), from, to, images, perImage),
                    new Shape(rows, CocoKeypoints.COUNT, cells));
            NDArray loss = Scalars.div(DifferentiableCast.to(logits, DataType.FLOAT32).transpose(0, 2, 1)
                    .logSoftmax(-1).mul(targets).sum().neg(), (float) batch.labelledKeypoints());
            NDArray weighted = Scalars.mul(loss, keypointWeight);
            total = total == null ? weighted : total.add(weighted);
        }
        return total;
    }

    /** Writes the heads' parameters into a checkpoint directory. */
    void save(Path directory) throws IOException {
        if (objectness != null) {
            write(directory.resolve(OBJECTNESS_FILE), objectness);
        }
        if (keypoints != null) {
            write(directory.resolve(KEYPOINT_FILE), keypoints);
        }
    }

    /** Reads the heads' parameters from a checkpoint directory written by {@link #save}. */
    void load(Path checkpoint, NDManager manager) {
        if (objectness != null) {
            read(checkpoint.resolve(OBJECTNESS_FILE), objectness, manager);
        }
        if (keypoints != null) {
            read(checkpoint.resolve(KEYPOINT_FILE), keypoints, manager);
        }
    }

    private List<Linear> heads() {
        List<Linear> heads = new ArrayList<>(2);
        if (objectness != null) {
            heads.add(objectness);
        }
        if (keypoints != null) {
            heads.add(keypoints);
        }
        return heads;
    }

    private static void write(Path file, Linear head) throws IOException {
        try (DataOutputStream stream = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            head.saveParameters(stream);
        }
    }

    private static void read(Path file, Linear head, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cannot resume from " + file.getParent() + ": it has no " + file
                    .getFileName() + " (was the checkpoint written with this auxiliary loss switched off?)");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            head.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw CheckpointStore.damaged(file.getParent(), file.getFileName().toString(), e);
        }
    }
}
