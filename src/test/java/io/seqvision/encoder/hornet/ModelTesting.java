package io.seqvision.encoder.hornet;

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

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Test helpers shared by the HorNet, InternImage and PeLK tests: parameter lookup by name suffix,
 * random weights, forward/backward runs, gradient checks, safetensors files and plain-Java
 * reference pieces (GELU, LayerNorm).
 */
public final class ModelTesting {

    private ModelTesting() {}

    /** The single parameter whose DJL name ends with {@code suffix}. */
    public static Parameter only(Block block, String suffix) {
        List<Parameter> found = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getKey().endsWith(suffix)) {
                found.add(pair.getValue());
            }
        }
        if (found.size() != 1) {
            List<String> names = new ArrayList<>();
            block.getParameters().forEach(p -> names.add(p.getKey()));
            throw new AssertionError(
                    found.size() + " parameters end with '" + suffix + "' in " + names);
        }
        return found.get(0);
    }

    /** Sets the parameter to normal values with the given std and returns them. */
    public static float[] randomize(Block block, String suffix, Random random, double std) {
        return randomize(only(block, suffix), random, std);
    }

    public static float[] randomize(Parameter parameter, Random random, double std) {
        float[] values = new float[Math.toIntExact(parameter.getArray().size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * random.nextGaussian());
        }
        parameter.getArray().set(values);
        return values;
    }

    /** Sets the parameter to {@code value} everywhere. */
    public static void fill(Block block, String suffix, float value) {
        Parameter p = only(block, suffix);
        float[] values = new float[Math.toIntExact(p.getArray().size())];
        Arrays.fill(values, value);
        p.getArray().set(values);
    }

    /** Gaussian values with the given std. */
    public static float[] gaussian(Random random, int size, double std) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (std * random.nextGaussian());
        }
        return values;
    }

    /** Trainable parameters only (BatchNorm running statistics are buffers in PyTorch). */
    public static long trainableCount(Block block) {
        long total = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                total += p.getArray().size();
            }
        }
        return total;
    }

    /** Inference output of a block on one input, as floats. */
    public static float[] infer(NDManager manager, Block block, NDArray input) {
        try (NDManager scope = manager.newSubManager()) {
            return block.forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** Inference output of a block on an input given as floats. */
    public static float[] infer(NDManager manager, Block block, float[] input, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, shape);
            return block.forward(new ParameterStore(scope, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** Forward in training mode and backward of a randomly weighted sum; returns output shape. */
    public static Shape trainingBackward(NDManager manager, Block block, Shape input) {
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

    /**
     * Every trainable parameter whose name contains none of {@code except} has a finite gradient
     * that is not all zero.
     */
    public static void assertAllGradientsUsable(Block block, String... except) {
        int checked = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (!pair.getValue().requiresGradient()
                    || Arrays.stream(except).anyMatch(pair.getKey()::contains)) {
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

    /** Writes the named parameters that {@code keep} accepts as a safetensors file. */
    public static void writeSafetensors(
            Path file, Map<String, Parameter> parameters, Predicate<String> keep)
            throws IOException {
        NDList tensors = new NDList();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            if (keep.test(entry.getKey())) {
                NDArray copy = entry.getValue().getArray().duplicate();
                copy.setName(entry.getKey());
                tensors.add(copy);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            tensors.encode(out, NDList.Encoding.SAFETENSORS);
        }
        tensors.close();
    }

    /** Exact GELU, {@code x * Phi(x)}. */
    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf by its Taylor series; error below 1e-10 for |x| <= 4, and |erf| = 1 - 2e-8 beyond. */
    public static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 100; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** LayerNorm of one vector with the biased variance. */
    public static double[] layerNorm(double[] v, float[] gamma, float[] beta, double eps) {
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(a -> (a - mean) * (a - mean)).sum() / v.length;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
        }
        return out;
    }
}
