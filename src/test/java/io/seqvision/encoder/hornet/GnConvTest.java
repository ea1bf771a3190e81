package io.seqvision.encoder.hornet;

import static io.seqvision.encoder.hornet.HorNetReference.channels;
import static io.seqvision.encoder.hornet.HorNetReference.depthwise;
import static io.seqvision.encoder.hornet.HorNetReference.multiply;
import static io.seqvision.encoder.hornet.HorNetReference.pointwise;
import static io.seqvision.encoder.hornet.HorNetReference.sample;
import static io.seqvision.encoder.hornet.ModelTesting.gaussian;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

import java.util.Random;

class GnConvTest {

    private static final int BATCH = 2;
    private static final int C = 16;
    private static final int H = 5;
    private static final int W = 4;

    @Test
    void ordersOneToFiveMatchThePlainJavaRecursion() {
        for (int order = 1; order <= 5; order++) {
            for (int kernel : new int[] {7, 3}) {
                checkAgainstReference(order, kernel, 10L * order + kernel);
            }
        }
    }

    private static void checkAgainstReference(int order, int kernel, long seed) {
        Random random = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            GnConv gnConv =
                    GnConv.builder()
                            .setChannels(C)
                            .setOrder(order)
                            .optMixer(SpatialMixer.depthwise(kernel))
                            .build();
            Shape shape = new Shape(BATCH, C, H, W);
            gnConv.initialize(manager, DataType.FLOAT32, shape);
            double std = 1 / Math.sqrt(C);
            float[] projInW = randomize(gnConv, "proj_in_weight", random, std);
            float[] projInB = randomize(gnConv, "proj_in_bias", random, 0.3);
            float[] dwW = randomize(gnConv, "dwconv_weight", random, 0.3);
            float[] dwB = randomize(gnConv, "dwconv_bias", random, 0.3);
            float[] projOutW = randomize(gnConv, "proj_out_weight", random, std);
            float[] projOutB = randomize(gnConv, "proj_out_bias", random, 0.3);
            // the order dims, written out: C / 2^(n-1), ..., C / 2, C
            int[] dims = new int[order];
            for (int i = 0; i < order; i++) {
                dims[i] = C / (int) Math.pow(2, order - 1 - i);
            }
            float[][] pwsW = new float[order - 1][];
            float[][] pwsB = new float[order - 1][];
            for (int i = 0; i < order - 1; i++) {
                pwsW[i] = randomize(gnConv, "pws." + i + "_weight", random, 1 / Math.sqrt(dims[i]));
                pwsB[i] = randomize(gnConv, "pws." + i + "_bias", random, 0.3);
            }
            float[] input = gaussian(random, BATCH * C * H * W, 1);
            float[] actual = infer(manager, gnConv, input, shape);

            for (int b = 0; b < BATCH; b++) {
                double[][][] fused = pointwise(sample(input, b, C, H, W), projInW, projInB);
                double[][][] gate = channels(fused, 0, dims[0]);
                double[][][] bundle = depthwise(channels(fused, dims[0], 2 * C), dwW, dwB, kernel);
                int start = 0;
                double[][][] p = multiply(gate, channels(bundle, 0, dims[0]), 1.0 / 3);
                start += dims[0];
                for (int i = 0; i < order - 1; i++) {
                    p = pointwise(p, pwsW[i], pwsB[i]);
                    p = multiply(p, channels(bundle, start, start + dims[i + 1]), 1.0 / 3);
                    start += dims[i + 1];
                }
                assertEquals(2 * C, start + dims[0], "the bundle is used up exactly");
                double[][][] expected = pointwise(p, projOutW, projOutB);
                for (int c = 0; c < C; c++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            double e = expected[c][i][j];
                            assertEquals(
                                    e,
                                    actual[((b * C + c) * H + i) * W + j],
                                    1e-4 * Math.max(1, Math.abs(e)),
                                    "order "
                                            + order
                                            + " kernel "
                                            + kernel
                                            + " at "
                                            + b
                                            + ","
                                            + c
                                            + ","
                                            + i
                                            + ","
                                            + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dimsDoubleFromTheGateToTheOutput() {
        assertArrayEquals(new int[] {8, 16, 32, 64, 128}, GnConv.orderDims(128, 5));
        assertArrayEquals(new int[] {64}, GnConv.orderDims(64, 1));
        GnConv gnConv = GnConv.builder().setChannels(64).setOrder(3).build();
        assertArrayEquals(new int[] {16, 32, 64}, gnConv.getDims());
        assertEquals(2, gnConv.getPointwiseConvs().size());
        assertEquals(1.0 / 3, gnConv.getScale(), 1e-7);
    }

    @Test
    void parameterCountFollowsTheDims() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GnConv gnConv = GnConv.builder().setChannels(32).setOrder(3).build();
            gnConv.initialize(manager, DataType.FLOAT32, new Shape(1, 32, 4, 4));
            // dims 8, 16, 32; bundle 56
            long expected =
                    (32 * 64 + 64) // proj_in
                            + (56 * 49 + 56) // 7x7 depthwise with bias
                            + (8 * 16 + 16)
                            + (16 * 32 + 32) // pws
                            + (32 * 32 + 32); // proj_out
            assertEquals(expected, ModelTesting.trainableCount(gnConv));
        }
    }

    @Test
    void rejectsChannelsThatTheOrderCannotHalve() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> GnConv.builder().setChannels(24).setOrder(5).build());
        assertTrue(e.getMessage().contains("24") && e.getMessage().contains("16"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> GnConv.builder().setChannels(16).setOrder(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GnConv.builder().setChannels(16).setOrder(2).optMixer(null).build());
        assertThrows(IllegalArgumentException.class, () -> SpatialMixer.depthwise(4));
        IllegalArgumentException odd =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                GnConv.builder()
                                        .setChannels(2)
                                        .setOrder(2)
                                        .optMixer(SpatialMixer.globalFilter(4, 3))
                                        .build());
        assertTrue(odd.getMessage().contains("even"), odd.getMessage());
        try (NDManager manager = NDManager.newBaseManager()) {
            GnConv gnConv = GnConv.builder().setChannels(16).setOrder(2).build();
            IllegalArgumentException wrong =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    gnConv.initialize(
                                            manager, DataType.FLOAT32, new Shape(1, 8, 4, 4)));
            assertTrue(wrong.getMessage().contains("(1, 8, 4, 4)"), wrong.getMessage());
        }
    }
}
