package io.seqvision.encoder.pelk;

import static io.seqvision.encoder.hornet.ModelTesting.gaussian;
import static io.seqvision.encoder.hornet.ModelTesting.only;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.seqvision.encoder.common.DepthwiseConv;

import org.junit.jupiter.api.Test;

import java.util.Random;

class PartialPeripheralConvTest {

    private static final int B = 2;
    private static final int C = 8;
    private static final int CP = 3;
    private static final int H = 6;
    private static final int W = 7;
    private static final int K = 13;

    @Test
    void passthroughChannelsAreTheInputExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PartialPeripheralConv conv = build(0, DepthwiseConv.Path.AUTO);
            Shape shape = new Shape(B, C, H, W);
            conv.initialize(manager, DataType.FLOAT32, shape);
            float[] input = manager.randomNormal(shape).toFloatArray();
            NDArray embedding = manager.randomNormal(new Shape(CP, 1, K, K));
            for (boolean training : new boolean[] {false, true}) {
                float[] out = run(manager, conv, input, embedding, training);
                int changed = 0;
                for (int b = 0; b < B; b++) {
                    for (int c = 0; c < C; c++) {
                        for (int p = 0; p < H * W; p++) {
                            int i = (b * C + c) * H * W + p;
                            if (c >= CP) {
                                assertEquals(
                                        input[i], out[i], "passthrough " + b + "," + c + "," + p);
                            } else if (out[i] != input[i]) {
                                changed++;
                            }
                        }
                    }
                }
                assertTrue(changed > B * CP * H * W / 2, "the first channels are convolved");
            }
        }
    }

    @Test
    void convolvedChannelsMatchThePlainJavaPeripheralConv() {
        for (DepthwiseConv.Path path :
                new DepthwiseConv.Path[] {DepthwiseConv.Path.DIRECT, DepthwiseConv.Path.FFT}) {
            for (int small : new int[] {0, 5}) {
                checkAgainstReference(path, small);
            }
        }
    }

    private static void checkAgainstReference(DepthwiseConv.Path path, int small) {
        Random random = new Random(small + (path == DepthwiseConv.Path.FFT ? 100 : 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            PartialPeripheralConv conv = build(small, path);
            Shape shape = new Shape(B, C, H, W);
            conv.initialize(manager, DataType.FLOAT32, shape);
            SharingGrid grid = conv.getGrid();
            int cells = grid.getParameterSize();
            float[] weight = randomize(conv.getWeight(), random, 0.1);
            float[][] bn = randomBatchNorm(conv, "01bn_", random);
            float[] smallWeight =
                    small > 0 ? randomize(conv, "small_conv_weight", random, 0.3) : null;
            float[][] smallBn = small > 0 ? randomBatchNorm(conv, "small_bn_", random) : null;
            float[] embedding = gaussian(random, CP * K * K, 0.05);
            float[] input = gaussian(random, B * C * H * W, 1);
            float[] out =
                    run(
                            manager,
                            conv,
                            input,
                            manager.create(embedding, new Shape(CP, 1, K, K)),
                            false);

            // the dense kernel, built position by position; the embedding joins the input window
            int[] cell = grid.getCellOfPosition();
            double[] dense = new double[CP * K * K];
            for (int c = 0; c < CP; c++) {
                for (int u = 0; u < K; u++) {
                    for (int v = 0; v < K; v++) {
                        dense[(c * K + u) * K + v] =
                                weight[(c * cells + cell[u]) * cells + cell[v]];
                    }
                }
            }
            double[] window = toDouble(embedding);
            for (int b = 0; b < B; b++) {
                for (int c = 0; c < CP; c++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            double y =
                                    normalise(
                                            bn, c, depthwise(input, b, c, i, j, dense, window, K));
                            if (small > 0) {
                                y +=
                                        normalise(
                                                smallBn,
                                                c,
                                                depthwise(
                                                        input,
                                                        b,
                                                        c,
                                                        i,
                                                        j,
                                                        toDouble(smallWeight),
                                                        null,
                                                        small));
                            }
                            int index = ((b * C + c) * H + i) * W + j;
                            assertEquals(
                                    y,
                                    out[index],
                                    1e-4 * Math.max(1, Math.abs(y)),
                                    path + " small " + small + " at " + b + "," + c + "," + i + ","
                                            + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadChannelSplitsAndEmbeddings() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        PartialPeripheralConv.builder()
                                .setChannels(4)
                                .setConvChannels(5)
                                .setKernelSize(7)
                                .build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        PartialPeripheralConv.builder()
                                .setChannels(4)
                                .setConvChannels(0)
                                .setKernelSize(7)
                                .build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        PartialPeripheralConv.builder()
                                .setChannels(4)
                                .setConvChannels(2)
                                .setKernelSize(8)
                                .build());
        try (NDManager manager = NDManager.newBaseManager()) {
            PartialPeripheralConv conv = build(0, DepthwiseConv.Path.AUTO);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    run(
                                            manager,
                                            conv,
                                            new float[C * H * W],
                                            manager.zeros(new Shape(CP, 1, 7, 7)),
                                            false));
            assertTrue(e.getMessage().contains("(3, 1, 7, 7)"), e.getMessage());
        }
    }

    private static PartialPeripheralConv build(int small, DepthwiseConv.Path path) {
        return PartialPeripheralConv.builder()
                .setChannels(C)
                .setConvChannels(CP)
                .setKernelSize(K)
                .optSmallKernelSize(small)
                .optPath(path)
                .build();
    }

    private static float[] run(
            NDManager manager,
            PartialPeripheralConv conv,
            float[] input,
            NDArray embedding,
            boolean training) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, new Shape(input.length / (C * H * W), C, H, W));
            return conv.forward(
                            new ParameterStore(scope, false), new NDList(x, embedding), training)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** Random gamma, beta, running mean and variance; returns them in that order. */
    private static float[][] randomBatchNorm(
            PartialPeripheralConv conv, String prefix, Random random) {
        float[] gamma = randomize(conv, prefix + "gamma", random, 0.3);
        float[] beta = randomize(conv, prefix + "beta", random, 0.3);
        float[] mean = randomize(conv, prefix + "runningMean", random, 0.2);
        float[] variance = new float[gamma.length];
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1;
            variance[i] = 0.5f + random.nextFloat();
        }
        only(conv, prefix + "gamma").getArray().set(gamma);
        only(conv, prefix + "runningVar").getArray().set(variance);
        return new float[][] {gamma, beta, mean, variance};
    }

    private static double normalise(float[][] bn, int c, double x) {
        return bn[0][c] * (x - bn[2][c]) / Math.sqrt(bn[3][c] + 1e-5) + bn[1][c];
    }

    /** {@code sum over in-image (u, v) of kernel(u, v) * (x + embedding(u, v))}; null for none. */
    private static double depthwise(
            float[] input, int b, int c, int i, int j, double[] kernel, double[] embedding, int k) {
        int pad = k / 2;
        double sum = 0;
        for (int u = 0; u < k; u++) {
            for (int v = 0; v < k; v++) {
                int y = i + u - pad;
                int x = j + v - pad;
                if (y >= 0 && y < H && x >= 0 && x < W) {
                    int tap = (c * k + u) * k + v;
                    double shift = embedding == null ? 0 : embedding[tap];
                    sum += kernel[tap] * (input[((b * C + c) * H + y) * W + x] + shift);
                }
            }
        }
        return sum;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
