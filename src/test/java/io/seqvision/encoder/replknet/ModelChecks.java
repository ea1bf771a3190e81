package io.seqvision.encoder.replknet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.Random;

/** Shared checks for the RepLKNet tests. */
final class ModelChecks {

    private ModelChecks() {}

    /** Trainable parameters only (BatchNorm running statistics are buffers in PyTorch). */
    static long trainableCount(Block block) {
        long total = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                total += p.getArray().size();
            }
        }
        return total;
    }

    /** Inference output of a block on one input, as floats. */
    static float[] infer(NDManager manager, Block block, NDArray input) {
        try (NDManager scope = manager.newSubManager()) {
            return block.forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** Forward in training mode and backward of a randomly weighted sum; returns output shape. */
    static Shape trainingBackward(NDManager manager, Block block, Shape input) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out =
                    block.forward(
                                    new ParameterStore(scope, false),
                                    new NDList(scope.randomNormal(input)),
                                    true)
                            .singletonOrThrow();
            collector.backward(out.mul(scope.randomNormal(out.getShape())).sum());
            return out.getShape();
        }
    }

    /** Every trainable parameter has a finite gradient that is not all zero. */
    static void assertAllGradientsUsable(Block block) {
        int checked = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (!pair.getValue().requiresGradient()) {
                continue;
            }
            float[] grad = pair.getValue().getArray().getGradient().toFloatArray();
            boolean nonZero = false;
            for (float g : grad) {
                assertTrue(Float.isFinite(g), pair.getKey() + " has a non-finite gradient");
                nonZero |= g != 0f;
            }
            assertTrue(nonZero, pair.getKey() + " has an all-zero gradient");
            checked++;
        }
        assertTrue(checked > 0, "no trainable parameters");
    }

    /**
     * Gives every BatchNorm non-trivial statistics and affine terms, so that folding them is a
     * real test: mean ~ N(0, 0.5), var in [0.5, 2], gamma in [0.5, 1.5], beta ~ N(0, 0.3).
     */
    static void randomiseBatchNorms(Block block, long seed) {
        Random random = new Random(seed);
        for (Pair<String, Parameter> pair : block.getParameters()) {
            String name = pair.getKey();
            NDArray array = pair.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            if (name.endsWith("runningMean")) {
                fill(values, () -> 0.5 * random.nextGaussian());
            } else if (name.endsWith("runningVar")) {
                fill(values, () -> 0.5 + 1.5 * random.nextDouble());
            } else if (name.endsWith("gamma")) {
                fill(values, () -> 0.5 + random.nextDouble());
            } else if (name.endsWith("beta")) {
                fill(values, () -> 0.3 * random.nextGaussian());
            } else {
                continue;
            }
            array.set(values);
        }
    }

    private static void fill(float[] values, java.util.function.DoubleSupplier source) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) source.getAsDouble();
        }
    }

    /** {@code max|a - e| / max|e|}. */
    static double relativeError(float[] expected, float[] actual) {
        double scale = 0, error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(expected[i] - actual[i]));
        }
        return error / scale;
    }
}
