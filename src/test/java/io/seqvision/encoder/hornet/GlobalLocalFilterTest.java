package io.seqvision.encoder.hornet;

import static io.seqvision.encoder.hornet.HorNetReference.channelNorm;
import static io.seqvision.encoder.hornet.HorNetReference.channels;
import static io.seqvision.encoder.hornet.HorNetReference.depthwise;
import static io.seqvision.encoder.hornet.HorNetReference.resizeFilter;
import static io.seqvision.encoder.hornet.HorNetReference.sample;
import static io.seqvision.encoder.hornet.HorNetReference.spectralFilter;
import static io.seqvision.encoder.hornet.ModelTesting.gaussian;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

import java.util.Random;

class GlobalLocalFilterTest {

    @Test
    void spectralFilterMatchesTheDirectDftWithAStoredSizeFilter() {
        // even width: the filter covers frequencies 0..3 along W, Nyquist included
        checkSpectral(2, 3, 5, 6, 5, 4, 1);
        // odd width and height
        checkSpectral(1, 2, 3, 5, 3, 3, 2);
    }

    @Test
    void spectralFilterResizesAFilterOfAnotherSize() {
        // stored 3x2, needed 4x3 (H=4, W=5 -> 5/2+1 = 3 frequencies)
        checkSpectral(2, 2, 4, 5, 3, 2, 3);
        // stored 7x4 (the official stage-4 size), needed 2x2 (a 2x2 map), i.e. shrinking
        checkSpectral(1, 3, 2, 2, 7, 4, 4);
    }

    private static void checkSpectral(int b, int c, int h, int w, int fh, int fw, long seed) {
        Random random = new Random(seed);
        float[] input = gaussian(random, b * c * h * w, 1);
        float[] filter = gaussian(random, c * fh * fw * 2, 1);
        float[] actual;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(input, new Shape(b, c, h, w));
            NDArray weight = manager.create(filter, new Shape(c, fh, fw, 2));
            NDArray out = GlobalLocalFilter.filterSpectrally(x, weight);
            assertEquals(new Shape(b, c, h, w), out.getShape());
            assertEquals(DataType.FLOAT32, out.getDataType());
            actual = out.toFloatArray();
        }
        double[][][][] resized = resizeFilter(filter, c, fh, fw, h, w / 2 + 1);
        for (int s = 0; s < b; s++) {
            double[][][] expected = spectralFilter(sample(input, s, c, h, w), resized);
            assertClose(expected, actual, s, 1e-5, "sample " + s);
        }
    }

    @Test
    void wholeFilterMatchesNormsLocalConvSpectralHalfAndInterleaving() {
        int b = 2, c = 6, h = 5, w = 4, half = 3;
        Random random = new Random(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            GlobalLocalFilter filter =
                    GlobalLocalFilter.builder().setChannels(c).setFilterSize(3, 2).build();
            Shape shape = new Shape(b, c, h, w);
            filter.initialize(manager, DataType.FLOAT32, shape);
            float[] preGamma = shift(randomize(filter, "pre_norm_gamma", random, 0.3), 1);
            float[] preBeta = randomize(filter, "pre_norm_beta", random, 0.3);
            float[] postGamma = shift(randomize(filter, "post_norm_gamma", random, 0.3), 1);
            float[] postBeta = randomize(filter, "post_norm_beta", random, 0.3);
            float[] dw = randomize(filter, "dw_weight", random, 0.4);
            float[] complex = randomize(filter, "complex_weight", random, 1);
            ModelTesting.only(filter, "pre_norm_gamma").getArray().set(preGamma);
            ModelTesting.only(filter, "post_norm_gamma").getArray().set(postGamma);
            float[] input = gaussian(random, b * c * h * w, 1);
            float[] actual = infer(manager, filter, input, shape);

            double[][][][] resized = resizeFilter(complex, half, 3, 2, h, w / 2 + 1);
            for (int s = 0; s < b; s++) {
                double[][][] x = channelNorm(sample(input, s, c, h, w), preGamma, preBeta);
                double[][][] local = depthwise(channels(x, 0, half), dw, null, 3);
                double[][][] global = spectralFilter(channels(x, half, c), resized);
                double[][][] mixed = new double[c][][];
                for (int i = 0; i < half; i++) {
                    mixed[2 * i] = local[i];
                    mixed[2 * i + 1] = global[i];
                }
                assertClose(
                        channelNorm(mixed, postGamma, postBeta), actual, s, 1e-4, "sample " + s);
            }
        }
    }

    @Test
    void gradientsReachTheComplexFilterAndTheInput() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            GlobalLocalFilter filter =
                    GlobalLocalFilter.builder().setChannels(8).setFilterSize(7, 4).build();
            Shape shape = new Shape(2, 8, 6, 6);
            filter.initialize(manager, DataType.FLOAT32, shape);
            ModelTesting.trainingBackward(manager, filter, shape);
            ModelTesting.assertAllGradientsUsable(filter);

            NDArray x = manager.randomNormal(new Shape(1, 2, 4, 6));
            NDArray weight = manager.randomNormal(new Shape(2, 4, 4, 2));
            x.setRequiresGradient(true);
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = GlobalLocalFilter.filterSpectrally(x, weight);
                collector.backward(out.mul(out).sum());
            }
            for (NDArray grad : new NDArray[] {x.getGradient(), weight.getGradient()}) {
                float[] values = grad.toFloatArray();
                boolean nonZero = false;
                for (float v : values) {
                    assertTrue(Float.isFinite(v));
                    nonZero |= v != 0;
                }
                assertTrue(nonZero);
            }
        }
    }

    @Test
    void linearGradientOfTheFilterMatchesFiniteDifferences() {
        // out is linear in the filter, so d<r, out>/dW is exact to float rounding by a
        // difference quotient with a large step
        Random random = new Random(8);
        float[] input = gaussian(random, 2 * 3 * 5, 1);
        float[] filter = gaussian(random, 2 * 3 * 2 * 2, 1);
        float[] r = gaussian(random, 2 * 3 * 5, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(input, new Shape(1, 2, 3, 5));
            NDArray weight = manager.create(filter, new Shape(2, 3, 2, 2));
            NDArray probe = manager.create(r, new Shape(1, 2, 3, 5));
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(GlobalLocalFilter.filterSpectrally(x, weight).mul(probe).sum());
            }
            float[] grad = weight.getGradient().toFloatArray();
            double base = objective(input, filter, r);
            for (int i = 0; i < filter.length; i++) {
                float[] moved = filter.clone();
                moved[i] += 1f;
                double slope = objective(input, moved, r) - base;
                assertEquals(slope, grad[i], 1e-4, "filter element " + i);
            }
        }
    }

    private static double objective(float[] input, float[] filter, float[] r) {
        double[][][] out =
                spectralFilter(sample(input, 0, 2, 3, 5), resizeFilter(filter, 2, 3, 2, 3, 3));
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    sum += out[c][i][j] * r[(c * 3 + i) * 5 + j];
                }
            }
        }
        return sum;
    }

    @Test
    void alignedCornersWeightsInterpolateBetweenTheEnds() {
        float[][] up = GlobalLocalFilter.alignedCornersWeights(3, 2);
        assertArrayEquals(new float[] {1, 0}, up[0]);
        assertArrayEquals(new float[] {0.5f, 0.5f}, up[1]);
        assertArrayEquals(new float[] {0, 1}, up[2]);
        float[][] down = GlobalLocalFilter.alignedCornersWeights(2, 7);
        assertEquals(1f, down[0][0]);
        assertEquals(1f, down[1][6]);
        float[][] single = GlobalLocalFilter.alignedCornersWeights(1, 4);
        assertArrayEquals(new float[] {1, 0, 0, 0}, single[0]);
    }

    @Test
    void rejectsOddChannelsAndMissingSizes() {
        assertThrows(
                IllegalArgumentException.class,
                () -> GlobalLocalFilter.builder().setChannels(5).setFilterSize(3, 3).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GlobalLocalFilter.builder().setChannels(4).build());
        assertThrows(IllegalArgumentException.class, () -> SpatialMixer.globalFilter(0, 3));
    }

    private static float[] shift(float[] values, float by) {
        for (int i = 0; i < values.length; i++) {
            values[i] += by;
        }
        return values;
    }

    private static void assertClose(
            double[][][] expected, float[] actual, int sample, double tolerance, String what) {
        int c = expected.length;
        int h = expected[0].length;
        int w = expected[0][0].length;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double e = expected[ch][i][j];
                    assertEquals(
                            e,
                            actual[((sample * c + ch) * h + i) * w + j],
                            tolerance * Math.max(1, Math.abs(e)),
                            what + " at " + ch + "," + i + "," + j);
                }
            }
        }
    }
}
