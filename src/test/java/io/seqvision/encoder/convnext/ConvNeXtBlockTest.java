package io.seqvision.encoder.convnext;

import static io.seqvision.encoder.convnext.ParameterLookup.gelu;
import static io.seqvision.encoder.convnext.ParameterLookup.only;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.convolutional.Conv2d;
import io.seqvision.encoder.common.MixerBlock;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

class ConvNeXtBlockTest {

    @Test
    void constantWeightsGiveTheHandComputedValue() {
        // Both channels carry the same image and the depthwise kernel is all ones, so the
        // channels are equal at every pixel: the norm outputs beta = 0, fc1 outputs its bias 1,
        // and each output channel gets sum over 4C = 8 hidden units of 0.5 * GELU(1).
        float geluOfOne = 0.8413447460685429f;
        float added = 8 * 0.5f * geluOfOne;
        float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<Conv2d> block = ConvNeXt.block(2, 3, 0, 1e-6);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3, 3));
            fill(block, "dwconv_weight", 1f);
            fill(block, "dwconv_bias", 0f);
            fill(block, "pwconv1_bias", 1f);
            fill(block, "pwconv2_weight", 0.5f);
            fill(block, "pwconv2_bias", 0f);
            fill(block, "layerScale", 1f);
            float[] input = new float[18];
            System.arraycopy(image, 0, input, 0, 9);
            System.arraycopy(image, 0, input, 9, 9);
            float[] out = run(block, manager, input, new Shape(1, 2, 3, 3), false);
            for (int i = 0; i < 18; i++) {
                assertEquals(input[i] + added, out[i], 1e-5, "element " + i);
            }
        }
    }

    @Test
    void zeroLayerScaleMakesTheBlockTheIdentity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<Conv2d> block = ConvNeXt.block(8, 7, 0, 1e-6);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 8, 7, 7));
            fill(block, "layerScale", 0f);
            float[] input = manager.randomNormal(new Shape(2, 8, 7, 7)).toFloatArray();
            assertArrayEquals(input, run(block, manager, input, new Shape(2, 8, 7, 7), false));
        }
    }

    @Test
    void matchesPlainJavaReferenceWithRandomWeights() {
        int batch = 2, c = 3, h = 5, w = 4, k = 3;
        Random random = new Random(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<Conv2d> block = ConvNeXt.block(c, k, 0, 1e-6);
            block.initialize(manager, DataType.FLOAT32, new Shape(batch, c, h, w));
            float[] dw = randomize(block, "dwconv_weight", random);
            float[] dwBias = randomize(block, "dwconv_bias", random);
            float[] gamma = randomize(block, "norm_gamma", random);
            float[] beta = randomize(block, "norm_beta", random);
            float[] w1 = randomize(block, "pwconv1_weight", random);
            float[] b1 = randomize(block, "pwconv1_bias", random);
            float[] w2 = randomize(block, "pwconv2_weight", random);
            float[] b2 = randomize(block, "pwconv2_bias", random);
            float[] scale = randomize(block, "layerScale", random);
            float[] input = new float[batch * c * h * w];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            float[] actual = run(block, manager, input, new Shape(batch, c, h, w), false);

            int hidden = 4 * c;
            int pad = k / 2;
            for (int b = 0; b < batch; b++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double[] conv = new double[c];
                        for (int ch = 0; ch < c; ch++) {
                            double sum = dwBias[ch];
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int yy = y + i - pad, xx = x + j - pad;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                        sum +=
                                                dw[(ch * k + i) * k + j]
                                                        * input[((b * c + ch) * h + yy) * w + xx];
                                    }
                                }
                            }
                            conv[ch] = sum;
                        }
                        double mean = Arrays.stream(conv).average().orElseThrow();
                        double var =
                                Arrays.stream(conv).map(v -> (v - mean) * (v - mean)).sum() / c;
                        double[] normed = new double[c];
                        for (int ch = 0; ch < c; ch++) {
                            normed[ch] =
                                    (conv[ch] - mean) / Math.sqrt(var + 1e-6) * gamma[ch]
                                            + beta[ch];
                        }
                        double[] act = new double[hidden];
                        for (int o = 0; o < hidden; o++) {
                            double sum = b1[o];
                            for (int ch = 0; ch < c; ch++) {
                                sum += w1[o * c + ch] * normed[ch];
                            }
                            act[o] = gelu(sum);
                        }
                        for (int ch = 0; ch < c; ch++) {
                            double sum = b2[ch];
                            for (int o = 0; o < hidden; o++) {
                                sum += w2[ch * hidden + o] * act[o];
                            }
                            int idx = ((b * c + ch) * h + y) * w + x;
                            double expected = input[idx] + scale[ch] * sum;
                            assertEquals(
                                    expected,
                                    actual[idx],
                                    1e-4,
                                    "at " + b + "," + ch + "," + y + "," + x);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dropPathInTrainingKeepsOrDropsTheWholeBranchPerSample() {
        int batch = 64;
        Shape shape = new Shape(batch, 4, 3, 3);
        int perSample = 4 * 3 * 3;
        Engine.getInstance().setRandomSeed(99);
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<Conv2d> block =
                    ConvNeXt.block(4, 7, 0.5, 1.0);
            block.initialize(manager, DataType.FLOAT32, shape);
            float[] input = manager.randomNormal(shape).toFloatArray();
            float[] inference = run(block, manager, input, shape, false);
            float[] training = run(block, manager, input, shape, true);
            int dropped = 0;
            for (int s = 0; s < batch; s++) {
                boolean isDropped = training[s * perSample] == input[s * perSample];
                for (int i = s * perSample; i < (s + 1) * perSample; i++) {
                    double branch = inference[i] - input[i];
                    double expected = isDropped ? input[i] : input[i] + 2 * branch;
                    assertEquals(expected, training[i], 1e-4, "sample " + s + " element " + i);
                }
                dropped += isDropped ? 1 : 0;
            }
            assertTrue(dropped > 10 && dropped < 54, "dropped " + dropped + " of 64 at rate 0.5");
        }
    }

    @Test
    void nonPositiveLayerScaleInitRemovesTheLayerScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<Conv2d> with = ConvNeXt.block(8, 7, 0, 1e-6);
            MixerBlock<Conv2d> without =
                    ConvNeXt.block(8, 7, 0, 0);
            with.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 4, 4));
            without.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 4, 4));
            NDArray scale = only(with, "layerScale").getArray();
            assertTrue(scale.eq(1e-6f).all().getBoolean());
            assertFalse(
                    ParameterLookup.names(without).stream()
                            .anyMatch(n -> n.contains("layerScale")));
            // 8C^2 + k^2 C + 9C with the layer scale, one C fewer without
            assertEquals(8 * 64 + 49 * 8 + 9 * 8, ParameterLookup.count(with));
            assertEquals(8 * 64 + 49 * 8 + 8 * 8, ParameterLookup.count(without));
        }
    }

    @Test
    void rejectsBadSettingsAndInputs() {
        assertThrows(IllegalArgumentException.class, () -> ConvNeXt.block(0, 7, 0, 1e-6));
        IllegalArgumentException even =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConvNeXt.block(4, 6, 0, 1e-6));
        assertTrue(even.getMessage().contains("6"), even.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvNeXt.block(4, 7, 1.5, 1e-6));
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<Conv2d> block = ConvNeXt.block(4, 7, 0, 1e-6);
            IllegalArgumentException wrong =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    block.initialize(
                                            manager, DataType.FLOAT32, new Shape(1, 5, 4, 4)));
            assertTrue(wrong.getMessage().contains("(1, 5, 4, 4)"), wrong.getMessage());
        }
    }

    private static float[] run(
            MixerBlock<Conv2d> block, NDManager manager, float[] input, Shape shape, boolean training) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, shape);
            return block.forward(new ParameterStore(scope, false), new NDList(x), training)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    private static void fill(MixerBlock<Conv2d> block, String suffix, float value) {
        Parameter p = only(block, suffix);
        float[] values = new float[Math.toIntExact(p.getArray().size())];
        Arrays.fill(values, value);
        p.getArray().set(values);
    }

    private static float[] randomize(MixerBlock<Conv2d> block, String suffix, Random random) {
        Parameter p = only(block, suffix);
        float[] values = new float[Math.toIntExact(p.getArray().size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.6 * random.nextGaussian());
        }
        p.getArray().set(values);
        return values;
    }
}
