package io.seqvision.encoder.internimage;

import static io.seqvision.encoder.hornet.ModelTesting.gaussian;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.only;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;
import static io.seqvision.encoder.internimage.DcnReference.unflatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.seqvision.encoder.hornet.ModelTesting;

import org.junit.jupiter.api.Test;

import java.util.Random;

class DCNv3Test {

    private static final int B = 2;
    private static final int H = 5;
    private static final int W = 6;
    private static final int C = 8;
    private static final int G = 2;

    @Test
    void forwardMatchesThePlainJavaReferenceOnRandomWeights() {
        for (double scale : new double[] {1.0, 0.7}) {
            Random random = new Random(scale == 1.0 ? 21 : 22);
            try (NDManager manager = NDManager.newBaseManager()) {
                DCNv3 dcn =
                        DCNv3.builder().setChannels(C).setGroups(G).optOffsetScale(scale).build();
                Shape shape = new Shape(B, H, W, C);
                dcn.initialize(manager, DataType.FLOAT32, shape);
                double std = 1 / Math.sqrt(C);
                DcnReference.Weights weights =
                        new DcnReference.Weights(
                                randomize(dcn, "input_proj_weight", random, std),
                                randomize(dcn, "input_proj_bias", random, 0.2),
                                randomize(dcn, "dw_conv.0_weight", random, 0.4),
                                randomize(dcn, "dw_conv.0_bias", random, 0.2),
                                shift(
                                        randomize(dcn, "dw_conv.1.1_gamma", random, 0.2),
                                        dcn,
                                        "dw_conv.1.1_gamma"),
                                randomize(dcn, "dw_conv.1.1_beta", random, 0.2),
                                // offsets of a pixel or two, some leaving the image
                                randomize(dcn, "offset_weight", random, 0.6),
                                randomize(dcn, "offset_bias", random, 1.0),
                                randomize(dcn, "mask_weight", random, 0.8),
                                randomize(dcn, "mask_bias", random, 0.5),
                                randomize(dcn, "output_proj_weight", random, std),
                                randomize(dcn, "output_proj_bias", random, 0.2));
                float[] input = gaussian(random, B * H * W * C, 1);
                float[] actual = infer(manager, dcn, input, shape);
                double[][][][] expected =
                        DcnReference.module(unflatten(input, B, H, W, C), weights, 3, G, scale);
                DeformableSamplingTest.assertClose(expected, actual, 1e-4, "offset scale " + scale);
            }
        }
    }

    @Test
    void initialStateSamplesTheRegularGridWithEqualWeights() {
        // zero offset and mask layers: every point weighs 1/9 and reads the 3x3 neighbourhood,
        // so with identity projections DCNv3 is a 3x3 box filter with zero padding
        Random random = new Random(23);
        try (NDManager manager = NDManager.newBaseManager()) {
            DCNv3 dcn = DCNv3.builder().setChannels(C).setGroups(G).build();
            Shape shape = new Shape(1, H, W, C);
            dcn.initialize(manager, DataType.FLOAT32, shape);
            float[] identity = new float[C * C];
            for (int i = 0; i < C; i++) {
                identity[i * C + i] = 1f;
            }
            only(dcn, "input_proj_weight").getArray().set(identity);
            only(dcn, "output_proj_weight").getArray().set(identity);
            float[] input = gaussian(random, H * W * C, 1);
            float[] out = infer(manager, dcn, input, shape);
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < W; j++) {
                    for (int c = 0; c < C; c++) {
                        double sum = 0;
                        for (int di = -1; di <= 1; di++) {
                            for (int dj = -1; dj <= 1; dj++) {
                                int y = i + di, x = j + dj;
                                if (y >= 0 && y < H && x >= 0 && x < W) {
                                    sum += input[(y * W + x) * C + c];
                                }
                            }
                        }
                        assertEquals(sum / 9, out[(i * W + j) * C + c], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void initialisationFollowsTheOfficialResetParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DCNv3 dcn = DCNv3.builder().setChannels(64).setGroups(4).build();
            dcn.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4, 64));
            for (String zero :
                    new String[] {
                        "offset_weight",
                        "offset_bias",
                        "mask_weight",
                        "mask_bias",
                        "input_proj_bias",
                        "output_proj_bias"
                    }) {
                assertEquals(0f, only(dcn, zero).getArray().abs().max().getFloat(), zero);
            }
            // xavier-uniform bound sqrt(6 / (64 + 64))
            double bound = Math.sqrt(6.0 / 128);
            for (String proj : new String[] {"input_proj_weight", "output_proj_weight"}) {
                float max = only(dcn, proj).getArray().abs().max().getFloat();
                assertTrue(max <= bound && max > 0.9 * bound, proj + " max " + max);
            }
            // PyTorch's conv default: uniform in +-1/sqrt(9)
            float dwMax = only(dcn, "dw_conv.0_weight").getArray().abs().max().getFloat();
            assertTrue(dwMax <= 1 / 3f && dwMax > 0.25f, "dw max " + dwMax);
            assertEquals(
                    new Shape(4 * 9 * 2, 64), only(dcn, "offset_weight").getArray().getShape());
            assertEquals(new Shape(4 * 9, 64), only(dcn, "mask_weight").getArray().getShape());
        }
    }

    @Test
    void backwardReachesEveryParameterOnceTheOffsetLayersAreNonZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DCNv3 dcn = DCNv3.builder().setChannels(C).setGroups(G).build();
            Shape shape = new Shape(B, H, W, C);
            dcn.initialize(manager, DataType.FLOAT32, shape);
            // at initialisation the zero offset and mask layers cut the depthwise branch off, as
            // in the official model: only the layers after it learn in the first step
            ModelTesting.trainingBackward(manager, dcn, shape);
            ModelTesting.assertAllGradientsUsable(dcn, "dw_conv");
            for (String branch : new String[] {"dw_conv.0_weight", "dw_conv.1.1_gamma"}) {
                float[] grad = only(dcn, branch).getArray().getGradient().toFloatArray();
                for (float g : grad) {
                    assertEquals(0f, g, branch);
                }
            }
            Random random = new Random(24);
            randomize(dcn, "offset_weight", random, 0.5);
            randomize(dcn, "mask_weight", random, 0.5);
            ModelTesting.trainingBackward(manager, dcn, shape);
            ModelTesting.assertAllGradientsUsable(dcn);
        }
    }

    @Test
    void rejectsGroupsThatDoNotDivideTheChannels() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DCNv3.builder().setChannels(10).setGroups(4).build());
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> DCNv3.builder().setChannels(8).setGroups(2).optKernelSize(4).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            DCNv3 dcn = DCNv3.builder().setChannels(8).setGroups(2).build();
            IllegalArgumentException wrong =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> dcn.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 4, 4)));
            assertTrue(wrong.getMessage().contains("channels-last"), wrong.getMessage());
        }
    }

    /** Moves a randomised norm scale around 1 (in the block and in the returned copy). */
    private static float[] shift(float[] values, DCNv3 dcn, String suffix) {
        for (int i = 0; i < values.length; i++) {
            values[i] += 1f;
        }
        only(dcn, suffix).getArray().set(values);
        return values;
    }
}
