package io.seqvision.encoder.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

import java.util.Random;

class ChannelsFirstLayerNormTest {

    private static final int B = 2, C = 5, H = 3, W = 4;

    @Test
    void matchesPlainJavaReferenceOverChannelsAtEveryPixel() {
        Random random = new Random(11);
        float[] input = new float[B * C * H * W];
        for (int i = 0; i < input.length; i++) {
            // a per-element offset so that pixels differ in mean and scale
            input[i] = (float) (random.nextGaussian() * (1 + i % 3) + (i % 7));
        }
        float[] gamma = randomArray(random, C, 1.0, 0.5);
        float[] beta = randomArray(random, C, 0.0, 0.5);
        double eps = 1e-6;
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelsFirstLayerNorm norm = ChannelsFirstLayerNorm.builder().build();
            norm.initialize(manager, DataType.FLOAT32, new Shape(B, C, H, W));
            for (Parameter p : norm.getParameters().values()) {
                p.getArray().set(p.getName().equals("gamma") ? gamma : beta);
            }
            NDArray x = manager.create(input, new Shape(B, C, H, W));
            float[] actual =
                    norm.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow()
                            .toFloatArray();

            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        double mean = 0;
                        for (int c = 0; c < C; c++) {
                            mean += input[index(b, c, h, w)];
                        }
                        mean /= C;
                        double var = 0;
                        for (int c = 0; c < C; c++) {
                            double d = input[index(b, c, h, w)] - mean;
                            var += d * d;
                        }
                        var /= C;
                        for (int c = 0; c < C; c++) {
                            double expected =
                                    gamma[c]
                                                    * (input[index(b, c, h, w)] - mean)
                                                    / Math.sqrt(var + eps)
                                            + beta[c];
                            assertEquals(
                                    expected,
                                    actual[index(b, c, h, w)],
                                    1e-5,
                                    "at b=" + b + " c=" + c + " h=" + h + " w=" + w);
                        }
                    }
                }
            }
        }
    }

    @Test
    void parametersAreOnesAndZerosOfChannelLength() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelsFirstLayerNorm norm = ChannelsFirstLayerNorm.builder().build();
            norm.initialize(manager, DataType.FLOAT32, new Shape(1, C, 2, 2));
            NDArray gamma = norm.getParameters().get("gamma").getArray();
            NDArray beta = norm.getParameters().get("beta").getArray();
            assertEquals(new Shape(C), gamma.getShape());
            assertTrue(gamma.eq(1f).all().getBoolean());
            assertTrue(beta.eq(0f).all().getBoolean());
        }
    }

    @Test
    void rejectsInputThatIsNotFourDimensional() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelsFirstLayerNorm norm = ChannelsFirstLayerNorm.builder().build();
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> norm.initialize(manager, DataType.FLOAT32, new Shape(2, C)));
            assertTrue(e.getMessage().contains("(2, 5)"), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> ChannelsFirstLayerNorm.builder().optEpsilon(0f).build());
    }

    private static int index(int b, int c, int h, int w) {
        return ((b * C + c) * H + h) * W + w;
    }

    private static float[] randomArray(Random random, int n, double mean, double std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
        return values;
    }
}
