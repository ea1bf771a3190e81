package io.seqvision.tasks.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.seqvision.encoder.TrainingHook;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The trained parameters of a run on each of its devices, and the one update they share: DJL-style
 * multi-device training with {@link FlatParameters} and {@link FusedAdamW}.
 *
 * <p>Replica 0 holds the masters that the model's own {@link Parameter} arrays point at, so
 * checkpoints and evaluation read it; every other replica is a copy on its device. A micro-batch
 * is split into contiguous shards, one per replica ({@link #shards}); each replica runs forward and
 * backward on its shard with the loss divided by the whole micro-batch's normaliser, so the
 * replicas' gradients add up to the un-split batch's. {@link #update} adds them into replica 0's,
 * clips, runs one fused update there and copies the new weights back to every replica: the
 * arithmetic of PyTorch's DistributedDataParallel (all-reduce, identical updates) with the update
 * done once. BatchNorm running statistics are not reduced: each replica updates its own copy and
 * the model keeps replica 0's.
 *
 * <p>In float16 ({@link Precision#FP16}) the replicas compute in float16 from float32 masters and
 * the loss is scaled ({@link DynamicLossScaler}); {@link #update} then reads the gradients'
 * finiteness, the one host read of a step, and skips the step on overflow.
 */
final class DataParallel implements AutoCloseable {

    /** One device's copy of the parameters and the store its forward pass reads them through. */
    record Replica(Device device, FlatParameters flat, FlatParameterStore store, NDManager manager) {}

    private final List<Replica> replicas = new ArrayList<>();
    private final FusedAdamW optimizer;
    private final DynamicLossScaler scaler;
    private final Precision precision;

    /**
     * @param parameters the trainable parameters, initialised (and loaded from any checkpoint) on
     *     {@code devices.get(0)}
     * @param model      the block whose BatchNorm parameters stay float32 under float16
     * @param devices    one or more devices; the same device may appear twice (replicas then share it)
     * @param manager    owns the masters and the optimizer state; on {@code devices.get(0)}
     */
    DataParallel(List<Parameter> parameters, Block model, Precision precision, List<Device> devices,
            double weightDecay, NDManager manager) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("data-parallel training needs at least one device");
        }
        this.precision = precision;
        Set<Parameter> keepFloat32 = precision == Precision.FP32 ? Set.of() : FlatParameters.batchNormParameters(model);
        FlatParameters primary = new FlatParameters(parameters, keepFloat32, precision.dataType(), manager);
        replicas.add(new Replica(devices.get(0), primary, primary.parameterStore(manager), manager));
        for (Device device : devices.subList(1, devices.size())) {
            NDManager replicaManager = manager.newSubManager(device);
            FlatParameters copy = primary.replicate(device, replicaManager);
            replicas.add(new Replica(device, copy, copy.parameterStore(replicaManager), replicaManager));
        }
        optimizer = new FusedAdamW(primary, manager, weightDecay);
        scaler = precision.needsLossScaling() ? new DynamicLossScaler() : null;
    }

    /**
     * The devices of {@code training.devices}: 0 means every local GPU, or the CPU when there is
     * none; n means the first n GPUs.
     *
     * @throws IllegalArgumentException when more devices are asked for than the machine has
     */
    static List<Device> devices(int requested) {
        int gpus = Engine.getInstance().getGpuCount();
        if (gpus == 0) {
            if (requested > 1) {
                throw new IllegalArgumentException("training.devices is " + requested
                        + " but this machine has no GPU; use 0 or 1 to train on the CPU");
            }
            return List.of(Device.cpu());
        }
        if (requested > gpus) {
            throw new IllegalArgumentException("training.devices is " + requested + " but this machine has " + gpus
                    + " GPU" + (gpus == 1 ? "" : "s"));
        }
        int count = requested == 0 ? gpus : requested;
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(Device.gpu(i));
        }
        return devices;
    }

    int size() {
        return replicas.size();
    }

    Replica replica(int index) {
        return replicas.get(index);
    }

    Precision precision() {
        return precision;
    }

    /**
     * Splits {@code images} rows into contiguous {@code [start, end)} ranges, one per replica
     * while there are enough rows, sizes differing by at most one.
     */
    List<int[]> shards(int images) {
        int count = Math.min(images, replicas.size());
        List<int[]> ranges = new ArrayList<>(count);
        int start = 0;
        for (int k = 0; k < count; k++) {
            int size = images / count + (k < images % count ? 1 : 0);
            ranges.add(new int[] {start, start + size});
            start += size;
        }
        return ranges;
    }

    /** What the loss is multiplied by before the backward pass (1 in float32). */
    double lossScale() {
        return scaler == null ? 1 : scaler.scale();
    }

    /**
     * Gradients of all replicas into one update: reduce into replica 0, clip by global norm,
     * {@code beforeStep} hooks, the fused AdamW step (skipped when float16 overflowed), {@code
     * afterStep} hooks, then every other replica takes replica 0's weights.
     *
     * @param step the 1-based number of this optimizer step (for the hooks)
     * @return whether the update was applied
     */
    boolean update(double learningRate, double clipNorm, long step, List<TrainingHook> hooks) {
        FlatParameters primary = replicas.get(0).flat();
        for (Replica replica : replicas.subList(1, replicas.size())) {
            replica.flat().addGradientsTo(primary);
        }
        boolean apply = true;
        try (NDArray norm = optimizer.clipGradients(clipNorm, lossScale())) {
            if (scaler != null) {
                apply = scaler.update(Float.isFinite(norm.getFloat()));
            }
        }
        for (TrainingHook hook : hooks) {
            hook.beforeStep(step, primary::gradient);
        }
        if (apply) {
            optimizer.step(learningRate);
        } else {
            optimizer.skipStep();
        }
        for (TrainingHook hook : hooks) {
            hook.afterStep(step);
        }
        for (Replica replica : replicas.subList(1, replicas.size())) {
            replica.flat().copyMastersFrom(primary);
        }
        return apply;
    }

    /** Steps skipped for float16 overflow so far. */
    long skippedSteps() {
        return scaler == null ? 0 : scaler.skippedSteps();
    }

    /** The optimizer state, in {@link FusedAdamW#save}'s format ({@link MomentScales}). */
    void saveOptimizer(DataOutputStream out) throws IOException {
        optimizer.save(out);
    }

    void loadOptimizer(DataInputStream in) throws IOException {
        optimizer.load(in);
    }

    /** Whether there is loss-scaler state to checkpoint. */
    boolean scalesLoss() {
        return scaler != null;
    }

    void saveLossScale(DataOutputStream out) throws IOException {
        scaler.save(out);
    }

    void loadLossScale(DataInputStream in) throws IOException {
        scaler.load(in);
    }

    @Override
    public void close() {
        optimizer.close();
        for (Replica replica : replicas.subList(1, replicas.size())) {
            replica.flat().close();
            replica.manager().close();
        }
        replicas.get(0).flat().releaseViews();
    }
}
