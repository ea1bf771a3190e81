package io.seqvision.bench.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.seqvision.encoder.common.DifferentiableCast;
import io.seqvision.tasks.training.DynamicLossScaler;
import io.seqvision.tasks.training.FlatParameterStore;
import io.seqvision.tasks.training.FlatParameters;
import io.seqvision.tasks.training.FusedAdamW;
import io.seqvision.tasks.training.Precision;
import io.seqvision.tasks.training.SequenceLoss;
import java.util.List;
import java.util.Set;

/**
 * The trainer's step on one device, put together from the same product parts so that each phase
 * can be timed: {@link FlatParameters} (per-step views of a few flat masters, in the compute type),
 * {@link FusedAdamW} (clipping on the device, one native update call per group), the loss summed on
 * the device and read only by {@link #drainLoss}. In float16 the logits return to float32 for the
 * loss, the loss is scaled ({@link DynamicLossScaler}) and the gradients' finiteness is read once
 * per step to decide whether to apply it, as PyTorch's GradScaler does.
 *
 * <p>Not a second implementation: every computation is the product's ({@code FlatParameters},
 * {@code FusedAdamW}, {@code DynamicLossScaler}, {@code SequenceLoss}); only the order of the calls
 * is restated here, that of {@code Trainer} and {@code DataParallel.update} on a single device, without
 * their task mixing, sharding and hooks, with timing marks between the phases. {@link
 * BaselineTrainingLoop} is the step it is compared against.
 */
final class FusedTrainingLoop extends TrainingLoop {

    private final Precision precision;
    private final FlatParameters flat;
    private final FlatParameterStore store;
    private final FusedAdamW optimizer;
    private final DynamicLossScaler scaler;
    private final NDArray images;
    private NDArray lossSum;
    private long lossCount;
    private NDArray scaleArray;
    private double scaleArrayValue = Double.NaN;

    FusedTrainingLoop(BenchModel bench, Precision precision, double weightDecay, double clipNorm) {
        this(bench, precision, weightDecay, clipNorm, precision.needsLossScaling() ? new DynamicLossScaler() : null);
    }

    /** With a given loss scaler (null: none), for precisions that need one. */
    FusedTrainingLoop(BenchModel bench, Precision precision, double weightDecay, double clipNorm,
            DynamicLossScaler scaler) {
        super(bench, clipNorm);
        this.precision = precision;
        List<Parameter> parameters = bench.trainableParameters();
        Set<Parameter> keepFloat32 = precision == Precision.FP32
                ? Set.of() : FlatParameters.batchNormParameters(bench.model);
        flat = new FlatParameters(parameters, keepFloat32, precision.dataType(), bench.manager);
        optimizer = new FusedAdamW(flat, bench.manager, weightDecay);
        store = flat.parameterStore(bench.manager);
        this.scaler = scaler;
        images = precision == Precision.FP32 ? bench.images : bench.images.toType(precision.dataType(), false);
        lossSum = bench.manager.zeros(new Shape(), DataType.FLOAT32);
    }

    @Override
    String name() {
        return "fused";
    }

    @Override
    String description() {
        return "flat parameter groups, FusedAdamW, clip on device, loss summed on device"
                + (scaler != null ? ", loss scaling with one finiteness read per step" : "");
    }

    @Override
    void step(double lr) {
        long[] marks = new long[6];
        marks[0] = System.nanoTime();
        try (CountingScope scope = CountingScope.open()) {
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray memory = bench.model.encode(store, images, true);
                NDArray logits = bench.model.decode(store, bench.inputs, memory, true);
                loss = SequenceLoss.weightedCrossEntropy(
                        DifferentiableCast.to(logits, DataType.FLOAT32), bench.targets, bench.weights);
                marks[1] = System.nanoTime();
                collector.backward(scaler == null ? loss : loss.mul(scaleArray(scaler.scale())));
            }
            lossSum.addi(loss);
            lossCount++;
            marks[2] = System.nanoTime();
            try (NDArray norm = optimizer.clipGradients(clipNorm, scaler == null ? 1 : scaler.scale())) {
                marks[3] = System.nanoTime();
                if (scaler == null) {
                    optimizer.step(lr);
                } else {
                    hostReads++;
                    if (scaler.update(Float.isFinite(norm.getFloat()))) {
                        optimizer.step(lr);
                    } else {
                        optimizer.skipStep();
                    }
                }
            }
            marks[4] = System.nanoTime();
            marks[5] = marks[4];
            record(marks, scope.created());
        }
    }

    /** The loss scale as a device scalar, remade only when the scale changes. */
    private NDArray scaleArray(double scale) {
        if (scale != scaleArrayValue) {
            if (scaleArray != null) {
                scaleArray.close();
            }
            scaleArray = bench.manager.create((float) scale);
            NDScope.unregister(scaleArray);
            scaleArrayValue = scale;
        }
        return scaleArray;
    }

    @Override
    double drainLoss() {
        long start = System.nanoTime();
        double mean = lossSum.getFloat() / Math.max(lossCount, 1);
        hostReads++;
        lossSum.close();
        lossSum = bench.manager.zeros(new Shape(), DataType.FLOAT32);
        lossCount = 0;
        phaseNanos[4] += System.nanoTime() - start;
        return mean;
    }

    /** The trained parameters' values, through the store the forward pass reads. */
    FlatParameters flatParameters() {
        return flat;
    }

    /** The current loss scale (1 without loss scaling). */
    double lossScale() {
        return scaler == null ? 1 : scaler.scale();
    }

    /** Steps skipped for float16 overflow (0 without loss scaling). */
    long skippedSteps() {
        return scaler == null ? 0 : scaler.skippedSteps();
    }

    Precision precision() {
        return precision;
    }

    @Override
    ParameterStore inferenceStore() {
        return store;
    }

    @Override
    public void close() {
        optimizer.close();
        if (scaleArray != null) {
            scaleArray.close();
        }
        lossSum.close();
    }
}
