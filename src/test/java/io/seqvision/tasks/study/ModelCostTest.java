package io.seqvision.tasks.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.SequenceDecoder;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analytic multiply-add count against hand computations. */
class ModelCostTest {

    private static final int SIDE = 128;

    /**
     * convnext-test (depths 1,1,1,1, dims 16,32,48,64, 7x7 depthwise kernels) at 128 px, by hand:
     * the stem is a 4x4 stride-4 conv 3 -> 16 onto 32x32; stage i (side 32, 16, 8, 4) has a 2x2
     * stride-2 conv from the previous width (after the first), and one block of a 7x7 depthwise
     * conv (49 C per pixel) and an MLP C -> 4C -> C (8 C^2 per pixel).
     */
    @Test
    void convNextTestMatchesAHandCount() {
        long[] dims = {16, 32, 48, 64};
        long[] sides = {32, 16, 8, 4};
        long expected = 3L * 16 * 4 * 4 * 32 * 32;
        for (int i = 0; i < 4; i++) {
            long pixels = sides[i] * sides[i];
            if (i > 0) {
                expected += dims[i - 1] * dims[i] * 2 * 2 * pixels;
            }
            expected += pixels * (49 * dims[i] + 8 * dims[i] * dims[i]);
        }
        assertEquals(9_203_712L, expected, "the hand count itself");
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = model("convnext-test", manager, 32, 1, 64, 40, 100);
            ModelCost cost = ModelCost.of(model, SIDE);
            assertEquals(expected, cost.encoderMacs());
            // parameters: every scalar, counted by hand for the convs and linears plus norms and biases
            assertTrue(cost.encoderParameters() > 3 * 16 * 16 + 16 * 49 + 2 * 4 * 16 * 16, cost.toString());
        }
    }

    /** The decoder's count from its dimensions: d 32, 1 layer, MLP 64, L 40 tokens, V 100, N 16 memory tokens of C 64. */
    @Test
    void decoderCountFollowsItsDimensions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = model("convnext-test", manager, 32, 1, 64, 40, 100);
            long d = 32;
            long l = 40;
            long n = (SIDE / 32) * (SIDE / 32);
            long expected = n * 64 * d + 4 * l * d * d + 2 * l * l * d + 2 * l * d * d + 2 * n * d * d
                    + 2 * l * n * d + 2 * l * d * 64 + l * d * 100;
            assertEquals(expected, ModelCost.of(model, SIDE).decoderMacs());
        }
    }

    /** Every family's test variant gets a positive count, and larger inputs cost proportionally more. */
    @Test
    void everyFamilyIsCountedAndScalesWithTheImage() {
        for (String name : List.of("convnext-test", "replknet-test", "slak-test", "hornet-test", "internimage-test",
                "pelk-test")) {
            try (NDManager manager = NDManager.newBaseManager()) {
                long small = encoderMacs(name, 64, manager);
                long large = encoderMacs(name, 128, manager);
                assertTrue(small > 0, name);
                // convs and linears scale with the pixels; kernels clipped by small maps make it at most 4x
                assertTrue(large > 2.5 * small && large <= 4 * small + 1, name + ": " + small + " -> " + large);
            }
        }
    }

    private static long encoderMacs(String name, int side, NDManager manager) {
        Encoder encoder = EncoderRegistry.defaults().create(name);
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, side, side));
        return ModelCost.macs(encoder);
    }

    private static EncoderDecoderModel model(String encoder, NDManager manager, int width, int layers, int mlp,
            int length, int vocab) {
        SequenceDecoder decoder = SequenceDecoder.builder().setVocabSize(vocab).setMaxLength(length).optWidth(width)
                .optLayers(layers).optHeads(2).optMlpDim(mlp).build();
        EncoderDecoderModel model = EncoderDecoderModel.builder()
                .setEncoder(EncoderRegistry.defaults().create(encoder)).setDecoder(decoder).build();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, SIDE, SIDE), new Shape(1, length));
        return model;
    }
}
