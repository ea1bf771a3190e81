package io.seqvision.encoder.internimage;

import static io.seqvision.encoder.hornet.ModelTesting.gaussian;
import static io.seqvision.encoder.internimage.DcnReference.unflatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

import java.util.Random;

class DeformableSamplingTest {

    private static final int B = 2;
    private static final int H = 4;
    private static final int W = 5;
    private static final int C = 6;
    private static final int G = 3;
    private static final int P = 9;

    @Test
    void matchesTheOfficialPaddedFrameSamplingWithLargeOffsets() {
        for (double scale : new double[] {1.0, 0.5}) {
            Random random = new Random(scale == 1.0 ? 1 : 2);
            float[] value = gaussian(random, B * H * W * C, 1);
            // offsets of a few pixels reach well outside the 4x5 image
            float[] offset = gaussian(random, B * H * W * G * P * 2, 2.5);
            float[] mask = uniform(random, B * H * W * G * P);
            float[] actual = sample(value, offset, mask, (float) scale);
            double[][][][] expected =
                    DcnReference.core(
                            unflatten(value, B, H, W, C),
                            unflatten(offset, B, H, W, G * P * 2),
                            unflatten(mask, B, H, W, G * P),
                            3,
                            G,
                            scale);
            assertClose(expected, actual, 1e-5, "offset scale " + scale);
        }
    }

    @Test
    void zeroOffsetsWithAOneHotMaskShiftTheImageWithZerosOutside() {
        Random random = new Random(3);
        float[] value = gaussian(random, B * H * W * C, 1);
        float[] offset = new float[B * H * W * G * P * 2];
        for (int point = 0; point < P; point++) {
            float[] mask = new float[B * H * W * G * P];
            for (int n = 0; n < B * H * W * G; n++) {
                mask[n * P + point] = 1f;
            }
            float[] out = sample(value, offset, mask, 1f);
            // point = a * 3 + b reads x + (a - 1), y + (b - 1): the official grid is x-major
            int dx = point / 3 - 1;
            int dy = point % 3 - 1;
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        for (int c = 0; c < C; c++) {
                            int y = i + dy;
                            int x = j + dx;
                            float expected =
                                    y < 0 || y >= H || x < 0 || x >= W
                                            ? 0f
                                            : value[((b * H + y) * W + x) * C + c];
                            assertEquals(
                                    expected,
                                    out[((b * H + i) * W + j) * C + c],
                                    1e-6,
                                    "point " + point + " at " + b + "," + i + "," + j + "," + c);
                        }
                    }
                }
            }
        }
    }

    @Test
    void eachGroupUsesItsOwnOffsetsOnItsOwnChannels() {
        Random random = new Random(4);
        float[] value = gaussian(random, B * H * W * C, 1);
        float[] offset = new float[B * H * W * G * P * 2];
        float[] mask = new float[B * H * W * G * P];
        for (int n = 0; n < B * H * W; n++) {
            for (int g = 0; g < G; g++) {
                mask[(n * G + g) * P + 4] = 1f; // the centre point
                offset[((n * G + g) * P + 4) * 2] = g; // group g moves g pixels right
            }
        }
        float[] out = sample(value, offset, mask, 1f);
        int groupChannels = C / G;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < W; j++) {
                    for (int c = 0; c < C; c++) {
                        int x = j + c / groupChannels;
                        float expected = x >= W ? 0f : value[((b * H + i) * W + x) * C + c];
                        assertEquals(expected, out[((b * H + i) * W + j) * C + c], 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void offsetGradientsMatchFiniteDifferencesOfTheReference() {
        Random random = new Random(5);
        int b = 1, h = 3, w = 3, c = 2, g = 1;
        float[] value = gaussian(random, b * h * w * c, 1);
        float[] offset = gaussian(random, b * h * w * g * P * 2, 0.7);
        float[] mask = uniform(random, b * h * w * g * P);
        float[] probe = gaussian(random, b * h * w * c, 1);
        float[] offsetGrad;
        float[] maskGrad;
        float[] valueGrad;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray v = manager.create(value, new Shape(b, h, w, c));
            NDArray o = manager.create(offset, new Shape(b, h, w, g * P * 2));
            NDArray m = manager.create(mask, new Shape(b, h, w, g * P));
            NDArray r = manager.create(probe, new Shape(b, h, w, c));
            v.setRequiresGradient(true);
            o.setRequiresGradient(true);
            m.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = DeformableSampling.sample(v, o, m, 3, g, 1f);
                collector.backward(out.mul(r).sum());
            }
            offsetGrad = o.getGradient().toFloatArray();
            maskGrad = m.getGradient().toFloatArray();
            valueGrad = v.getGradient().toFloatArray();
        }
        double step = 1e-4;
        for (int k = 0; k < offset.length; k++) {
            double numeric =
                    (objective(value, shifted(offset, k, step), mask, probe, h, w, c, g)
                                    - objective(
                                            value,
                                            shifted(offset, k, -step),
                                            mask,
                                            probe,
                                            h,
                                            w,
                                            c,
                                            g))
                            / (2 * step);
            assertEquals(numeric, offsetGrad[k], 1e-3, "offset " + k);
        }
        for (int k = 0; k < mask.length; k++) {
            double numeric =
                    (objective(value, offset, shifted(mask, k, step), probe, h, w, c, g)
                                    - objective(
                                            value,
                                            offset,
                                            shifted(mask, k, -step),
                                            probe,
                                            h,
                                            w,
                                            c,
                                            g))
                            / (2 * step);
            assertEquals(numeric, maskGrad[k], 1e-3, "mask " + k);
        }
        for (int k = 0; k < value.length; k++) {
            double numeric =
                    (objective(shifted(value, k, step), offset, mask, probe, h, w, c, g)
                                    - objective(
                                            shifted(value, k, -step),
                                            offset,
                                            mask,
                                            probe,
                                            h,
                                            w,
                                            c,
                                            g))
                            / (2 * step);
            assertEquals(numeric, valueGrad[k], 1e-3, "value " + k);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray value = manager.zeros(new Shape(1, 4, 4, 6));
            NDArray offset = manager.zeros(new Shape(1, 4, 4, 2 * 9 * 2));
            NDArray mask = manager.zeros(new Shape(1, 4, 4, 2 * 9));
            assertEquals(
                    new Shape(1, 4, 4, 6),
                    DeformableSampling.sample(value, offset, mask, 3, 2, 1f).getShape());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> DeformableSampling.sample(value, offset, mask, 3, 3, 1f));
            assertTrue(e.getMessage().contains("(1, 4, 4, 36)"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeformableSampling.sample(value, offset, mask, 2, 2, 1f));
        }
    }

    private static double objective(
            float[] value,
            float[] offset,
            float[] mask,
            float[] probe,
            int h,
            int w,
            int c,
            int g) {
        double[][][][] out =
                DcnReference.core(
                        unflatten(value, 1, h, w, c),
                        unflatten(offset, 1, h, w, g * P * 2),
                        unflatten(mask, 1, h, w, g * P),
                        3,
                        g,
                        1.0);
        double sum = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int ch = 0; ch < c; ch++) {
                    sum += out[0][i][j][ch] * probe[(i * w + j) * c + ch];
                }
            }
        }
        return sum;
    }

    private static float[] shifted(float[] values, int index, double by) {
        float[] copy = values.clone();
        copy[index] += (float) by;
        return copy;
    }

    private static float[] uniform(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextFloat();
        }
        return values;
    }

    private static float[] sample(float[] value, float[] offset, float[] mask, float scale) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return DeformableSampling.sample(
                            manager.create(value, new Shape(B, H, W, C)),
                            manager.create(offset, new Shape(B, H, W, G * P * 2)),
                            manager.create(mask, new Shape(B, H, W, G * P)),
                            3,
                            G,
                            scale)
                    .toFloatArray();
        }
    }

    static void assertClose(
            double[][][][] expected, float[] actual, double tolerance, String what) {
        int n = 0;
        for (double[][][] sample : expected) {
            for (double[][] row : sample) {
                for (double[] pixel : row) {
                    for (double e : pixel) {
                        assertEquals(
                                e,
                                actual[n],
                                tolerance * Math.max(1, Math.abs(e)),
                                what + " element " + n);
                        n++;
                    }
                }
            }
        }
        assertEquals(n, actual.length);
    }
}
