package io.seqvision.encoder.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.seqvision.encoder.common.DepthwiseConv.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

class DepthwiseConvTest {

    /** Kernel shapes and input sizes covering square, rectangular, even and oversized kernels. */
    @ParameterizedTest(name = "{0}x{1} kernel on {2}x{3}")
    @CsvSource({
        "7, 7, 9, 11", // square, odd sizes
        "31, 31, 16, 16", // RepLKNet stage 1 at 64 px: kernel larger than the map
        "13, 5, 10, 7", // SLaK's M x N branch
        "5, 13, 7, 10", // and its N x M branch
        "9, 3, 9, 9",
        "4, 6, 8, 9", // even: output grows by one
        "1, 1, 3, 5"
    })
    void directPathMatchesThePlainJavaReference(int kh, int kw, int h, int w) {
        Random random = new Random(kh * 100 + kw);
        int batch = 2, c = 3;
        float[] x = gaussian(random, batch * c * h * w);
        float[] k = gaussian(random, c * kh * kw);
        float[] b = gaussian(random, c);
        double[] expected = reference(x, k, b, batch, c, h, w, kh, kw);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Path path : Path.values()) {
                float[] actual =
                        DepthwiseConv.convolve(
                                        manager.create(x, new Shape(batch, c, h, w)),
                                        manager.create(k, new Shape(c, 1, kh, kw)),
                                        manager.create(b),
                                        path)
                                .toFloatArray();
                assertEquals(expected.length, actual.length, path.toString());
                assertRelativelyClose(expected, actual, 1e-5, path + " vs reference");
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1} kernel on ({2}, {3}, {4}, {5})")
    @CsvSource({
        "7, 7, 2, 4, 9, 11",
        "31, 31, 2, 3, 16, 16",
        "21, 21, 3, 2, 33, 27",
        "51, 5, 2, 3, 14, 15",
        "5, 51, 2, 3, 14, 15",
        "13, 13, 1, 2, 5, 6"
    })
    void fftAndDirectAgreeInOutputAndInEveryGradient(
            int kh, int kw, int batch, int c, int h, int w) {
        Engine.getInstance().setRandomSeed(kh + kw);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape inputShape = new Shape(batch, c, h, w);
            NDArray x = manager.randomNormal(inputShape);
            NDArray k = manager.randomNormal(new Shape(c, 1, kh, kw)).div(kh);
            NDArray b = manager.randomNormal(new Shape(c));
            NDArray upstream = null;
            float[][] direct = null;
            for (Path path : new Path[] {Path.DIRECT, Path.FFT}) {
                NDArray xi = x.duplicate();
                NDArray ki = k.duplicate();
                NDArray bi = b.duplicate();
                xi.setRequiresGradient(true);
                ki.setRequiresGradient(true);
                bi.setRequiresGradient(true);
                float[][] results = new float[4][];
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = DepthwiseConv.convolve(xi, ki, bi, path);
                    if (upstream == null) {
                        upstream = manager.randomNormal(out.getShape());
                    }
                    collector.backward(out.mul(upstream).sum());
                    results[0] = out.toFloatArray();
                }
                results[1] = xi.getGradient().toFloatArray();
                results[2] = ki.getGradient().toFloatArray();
                results[3] = bi.getGradient().toFloatArray();
                if (direct == null) {
                    direct = results;
                } else {
                    String[] what = {"output", "input gradient", "weight gradient", "bias grad"};
                    for (int i = 0; i < 4; i++) {
                        assertRelativelyClose(direct[i], results[i], 1e-4, what[i]);
                    }
                }
            }
        }
    }

    @Test
    void blockRunsEveryPathWithItsOwnParametersAndPyTorchInit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(2, 8, 12, 10);
            float[] reference = null;
            NDArray x = manager.randomNormal(input);
            for (Path path : Path.values()) {
                DepthwiseConv conv =
                        DepthwiseConv.builder()
                                .setChannels(8)
                                .setKernelShape(11, 7)
                                .optBias(true)
                                .optPath(path)
                                .build();
                Engine.getInstance().setRandomSeed(17);
                conv.initialize(manager, DataType.FLOAT32, input);
                assertEquals(new Shape(8, 1, 11, 7), conv.getWeight().getArray().getShape());
                assertEquals(new Shape(8), conv.getBias().getArray().getShape());
                float bound = (float) (1 / Math.sqrt(77));
                float[] weights = conv.getWeight().getArray().toFloatArray();
                double maxAbs = 0;
                for (float v : weights) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                assertTrue(maxAbs <= bound && maxAbs > 0.8 * bound, "max |w| " + maxAbs);
                assertEquals(input, conv.getOutputShapes(new Shape[] {input})[0]);
                NDArray out =
                        conv.forward(new ParameterStore(manager, false), new NDList(x), false)
                                .singletonOrThrow();
                assertEquals(input, out.getShape());
                if (reference == null) {
                    reference = out.toFloatArray();
                } else {
                    assertRelativelyClose(toDouble(reference), out.toFloatArray(), 1e-5, "" + path);
                }
            }
            DepthwiseConv noBias = DepthwiseConv.builder().setChannels(8).setKernelSize(3).build();
            noBias.initialize(manager, DataType.FLOAT32, input);
            assertEquals(null, noBias.getBias());
            assertEquals(1, noBias.getParameters().size());
        }
    }

    @Test
    void autoPicksFftWhereTheDirectPathDoesSixtyTimesMoreWork() {
        // 56x56: taps 3136 k^2 against 60 * (transform length)^2
        assertFalse(DepthwiseConv.prefersFft(7, 7, 56, 56), "153,664 < 60 * 60 * 60");
        assertTrue(DepthwiseConv.prefersFft(13, 13, 56, 56), "529,984 >= 60 * 64 * 64");
        assertTrue(DepthwiseConv.prefersFft(31, 31, 56, 56));
        assertFalse(DepthwiseConv.prefersFft(11, 11, 14, 14), "23,716 < 60 * 20 * 20");
        assertTrue(DepthwiseConv.prefersFft(13, 13, 14, 14), "33,124 >= 60 * 20 * 20");
        assertTrue(DepthwiseConv.prefersFft(51, 51, 14, 14));
        assertFalse(DepthwiseConv.prefersFft(31, 31, 2, 2), "kernel far larger than the map");
        assertFalse(DepthwiseConv.prefersFft(51, 5, 14, 14), "49,980 < 60 * 54 * 16");
        assertTrue(DepthwiseConv.prefersFft(51, 5, 56, 56), "799,680 >= 60 * 81 * 60");
        assertEquals(54, DepthwiseConv.fftLength(14, 51));
        assertEquals(16, DepthwiseConv.fftLength(14, 5));
    }

    @Test
    void fastLengthsHaveOnlySmallPrimeFactors() {
        assertEquals(1, DepthwiseConv.fastLength(1));
        assertEquals(64, DepthwiseConv.fastLength(63 + 1));
        assertEquals(72, DepthwiseConv.fastLength(71));
        assertEquals(75, DepthwiseConv.fastLength(73));
        assertEquals(125, DepthwiseConv.fastLength(121));
    }

    @Test
    void badSettingsAndShapesFailNamingTheValues() {
        IllegalArgumentException noKernel =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DepthwiseConv.builder().setChannels(4).build());
        assertTrue(noKernel.getMessage().contains("0x0"), noKernel.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> DepthwiseConv.builder().setKernelSize(3).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            DepthwiseConv conv = DepthwiseConv.builder().setChannels(4).setKernelSize(5).build();
            IllegalArgumentException wrong =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    conv.initialize(
                                            manager, DataType.FLOAT32, new Shape(1, 3, 8, 8)));
            assertTrue(wrong.getMessage().contains("(1, 3, 8, 8)"), wrong.getMessage());
            IllegalArgumentException mismatch =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DepthwiseConv.convolve(
                                            manager.zeros(new Shape(1, 4, 8, 8)),
                                            manager.zeros(new Shape(3, 1, 5, 5)),
                                            null,
                                            Path.FFT));
            assertTrue(mismatch.getMessage().contains("(3, 1, 5, 5)"), mismatch.getMessage());
        }
    }

    /** Zero-padded depthwise correlation in double precision. */
    private static double[] reference(
            float[] x, float[] k, float[] b, int batch, int c, int h, int w, int kh, int kw) {
        int ph = kh / 2, pw = kw / 2;
        int oh = h + 2 * ph - kh + 1, ow = w + 2 * pw - kw + 1;
        double[] out = new double[batch * c * oh * ow];
        for (int n = 0; n < batch; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b[ch];
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int y = i + u - ph, z = j + v - pw;
                                if (y >= 0 && y < h && z >= 0 && z < w) {
                                    sum +=
                                            (double) k[(ch * kh + u) * kw + v]
                                                    * x[((n * c + ch) * h + y) * w + z];
                                }
                            }
                        }
                        out[((n * c + ch) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** Asserts {@code max|a - e| <= tolerance * max|e|} (relative to the largest entry). */
    static void assertRelativelyClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0, error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0, what + " is all zero");
        assertTrue(
                error <= tol * scale,
                what + ": max error " + error + " vs largest value " + scale);
    }

    private static void assertRelativelyClose(
            float[] expected, float[] actual, double tol, String what) {
        assertRelativelyClose(toDouble(expected), actual, tol, what);
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
