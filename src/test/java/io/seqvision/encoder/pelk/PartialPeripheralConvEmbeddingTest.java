package io.seqvision.encoder.pelk;

import static io.seqvision.encoder.hornet.ModelTesting.gaussian;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.seqvision.encoder.common.DepthwiseConv;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * The kernel-wise positional embedding joins the input window, {@code y(p, q) = sum w(i, j) *
 * (x(p+i, q+j) + h(i, j))}, and is skipped where the window lies on zero padding.
 */
class PartialPeripheralConvEmbeddingTest {

    private static final int C = 2;
    private static final int H = 6;
    private static final int W = 6;
    /** A 7x7 kernel over a 3x3 centre: cells 2,1,1,1,2, so the outer rows share parameters. */
    private static final int K = 7;

    private static final int CENTRE = 3;
    /** The default BatchNorm in eval mode divides by this. */
    private static final double BN_SCALE = Math.sqrt(1 + 1e-5);

    @Test
    void outputIsTheWeightedSumOfInputPlusEmbeddingOverInImagePositions() {
        for (DepthwiseConv.Path path :
                new DepthwiseConv.Path[] {DepthwiseConv.Path.DIRECT, DepthwiseConv.Path.FFT}) {
            Random random = new Random(path.ordinal());
            try (NDManager manager = NDManager.newBaseManager()) {
                PartialPeripheralConv conv = build(path);
                conv.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
                assertEquals(5, conv.getGrid().getParameterSize(), "the grid shares cells");
                double[] w = denseKernel(conv, randomize(conv.getWeight(), random, 0.3));
                float[] h = gaussian(random, C * K * K, 0.5);
                float[] x = gaussian(random, C * H * W, 1);
                float[] out = forward(manager, conv, x, h);
                for (int c = 0; c < C; c++) {
                    for (int p = 0; p < H; p++) {
                        for (int q = 0; q < W; q++) {
                            double expected = windowSum(x, w, h, c, p, q) / BN_SCALE;
                            assertEquals(
                                    expected,
                                    out[(c * H + p) * W + q],
                                    1e-5 * Math.max(1, Math.abs(expected)),
                                    path + " at " + c + "," + p + "," + q);
                        }
                    }
                }
            }
        }
    }

    @Test
    void inTheInteriorTheEmbeddingAddsTheConstantSumOfKernelTimesEmbedding() {
        int side = 12; // interior rows/columns 3..8, where the whole 7x7 window is in the image
        Random random = new Random(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            PartialPeripheralConv conv = build(DepthwiseConv.Path.DIRECT);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, C, side, side));
            double[] w = denseKernel(conv, randomize(conv.getWeight(), random, 0.3));
            float[] h = gaussian(random, C * K * K, 0.5);
            NDArray response =
                    conv.embeddingResponse(
                            manager,
                            conv.getGrid().expand(conv.getWeight().getArray()),
                            manager.create(h, new Shape(C, 1, K, K)),
                            side,
                            side);
            assertEquals(new Shape(1, C, side, side), response.getShape());
            float[] values = response.toFloatArray();
            int pad = K / 2;
            for (int c = 0; c < C; c++) {
                double bias = 0;
                for (int tap = 0; tap < K * K; tap++) {
                    bias += w[c * K * K + tap] * h[c * K * K + tap];
                }
                for (int p = pad; p < side - pad; p++) {
                    for (int q = pad; q < side - pad; q++) {
                        assertEquals(
                                bias,
                                values[(c * side + p) * side + q],
                                1e-5 * Math.max(1, Math.abs(bias)),
                                "interior " + c + "," + p + "," + q);
                    }
                }
                // at the corner only a quarter of the window is in the image: not the bias
                double corner = values[c * side * side];
                assertTrue(
                        Math.abs(corner - bias) > 1e-3, "corner " + corner + " vs bias " + bias);
            }

            // and through the whole block: a zero input leaves exactly that response
            float[] out = forward(manager, conv, new float[C * side * side], h, side);
            for (int i = 0; i < out.length; i++) {
                assertEquals(values[i] / BN_SCALE, out[i], 1e-5, "element " + i);
            }
        }
    }

    @Test
    void gradientsReachTheEmbeddingAndTheWeight() {
        Random random = new Random(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            PartialPeripheralConv conv = build(DepthwiseConv.Path.DIRECT);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
            double[] w = denseKernel(conv, randomize(conv.getWeight(), random, 0.3));
            float[] hValues = gaussian(random, C * K * K, 0.5);
            float[] probe = gaussian(random, C * H * W, 1);
            NDArray weightGradient = conv.getWeight().getArray().getGradient();
            weightGradient.subi(weightGradient); // gradients accumulate across collectors
            NDArray h = manager.create(hValues, new Shape(C, 1, K, K));
            h.setRequiresGradient(true);
            try (NDManager scope = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = scope.randomNormal(new Shape(1, C, H, W));
                NDArray y =
                        conv.forward(new ParameterStore(scope, false), new NDList(x, h), false)
                                .singletonOrThrow();
                collector.backward(y.mul(scope.create(probe, y.getShape())).sum());
            }
            // dL/dh(c, u, v) = w(c, u, v) * sum of the probe over outputs whose tap is in-image
            float[] gradient = h.getGradient().toFloatArray();
            int pad = K / 2;
            double[] expected = new double[gradient.length];
            for (int c = 0; c < C; c++) {
                for (int u = 0; u < K; u++) {
                    for (int v = 0; v < K; v++) {
                        double sum = 0;
                        for (int p = 0; p < H; p++) {
                            for (int q = 0; q < W; q++) {
                                if (inImage(p + u - pad, q + v - pad)) {
                                    sum += probe[(c * H + p) * W + q];
                                }
                            }
                        }
                        int tap = (c * K + u) * K + v;
                        expected[tap] = w[tap] * sum / BN_SCALE;
                        assertTrue(gradient[tap] != 0f, "embedding element " + tap + " unused");
                    }
                }
            }
            assertArrayEquals(expected, toDouble(gradient), 1e-4);
            float[] weight = conv.getWeight().getArray().getGradient().toFloatArray();
            for (int i = 0; i < weight.length; i++) {
                assertTrue(weight[i] != 0f, "weight element " + i + " gets no gradient");
            }
        }
    }

    private static PartialPeripheralConv build(DepthwiseConv.Path path) {
        return PartialPeripheralConv.builder()
                .setChannels(C)
                .setConvChannels(C)
                .setKernelSize(K)
                .optCentreSize(CENTRE)
                .optPath(path)
                .build();
    }

    /** The (C, K, K) dense kernel, each position reading its cell's parameter. */
    private static double[] denseKernel(PartialPeripheralConv conv, float[] parameters) {
        int cells = conv.getGrid().getParameterSize();
        int[] cell = conv.getGrid().getCellOfPosition();
        double[] dense = new double[C * K * K];
        for (int c = 0; c < C; c++) {
            for (int u = 0; u < K; u++) {
                for (int v = 0; v < K; v++) {
                    dense[(c * K + u) * K + v] =
                            parameters[(c * cells + cell[u]) * cells + cell[v]];
                }
            }
        }
        return dense;
    }

    private static double windowSum(float[] x, double[] w, float[] h, int c, int p, int q) {
        int pad = K / 2;
        double sum = 0;
        for (int u = 0; u < K; u++) {
            for (int v = 0; v < K; v++) {
                int i = p + u - pad;
                int j = q + v - pad;
                if (inImage(i, j)) {
                    int tap = (c * K + u) * K + v;
                    sum += w[tap] * (x[(c * H + i) * W + j] + h[tap]);
                }
            }
        }
        return sum;
    }

    private static boolean inImage(int i, int j) {
        return i >= 0 && i < H && j >= 0 && j < W;
    }

    private static float[] forward(
            NDManager manager, PartialPeripheralConv conv, float[] input, float[] embedding) {
        return forward(manager, conv, input, embedding, H);
    }

    private static float[] forward(
            NDManager manager,
            PartialPeripheralConv conv,
            float[] input,
            float[] embedding,
            int side) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, new Shape(1, C, side, side));
            NDArray h = scope.create(embedding, new Shape(C, 1, K, K));
            return conv.forward(new ParameterStore(scope, false), new NDList(x, h), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
