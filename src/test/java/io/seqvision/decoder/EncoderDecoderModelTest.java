package io.seqvision.decoder;

import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

class EncoderDecoderModelTest {

    private static final int B = 2;
    private static final int IMAGE = 16;
    private static final int STRIDE = 4;
    private static final int GRID = IMAGE / STRIDE;
    private static final int D = 8;
    private static final int V = 11;
    private static final int L = 5;

    static EncoderDecoderModel initialisedTinyModel(NDManager manager) {
        EncoderDecoderModel model = DecoderTestSupport.tinyModel();
        model.initialize(manager, DataType.FLOAT32, new Shape(B, 3, IMAGE, IMAGE), new Shape(B, L));
        return model;
    }

    @Test
    void forwardGivesLogitsAndEqualsEncodeThenDecode() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = initialisedTinyModel(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray images = randomNormal(manager, 1, B, 3, IMAGE, IMAGE);
            NDArray tokens = manager.create(DecoderTestSupport.randomTokens(2, B * L, V), new Shape(B, L));

            NDArray logits = model.forward(ps, new NDList(images, tokens), false).singletonOrThrow();
            assertEquals(new Shape(B, L, V), logits.getShape());
            assertEquals(
                    new Shape(B, L, V),
                    model.getOutputShapes(new Shape[] {images.getShape(), tokens.getShape()})[0]);

            NDArray memory = model.encode(ps, images, false);
            assertEquals(new Shape(B, GRID * GRID, D), memory.getShape());
            assertArrayEquals(logits.toFloatArray(), model.decode(ps, tokens, memory, false).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void memoryIsNormalisedProjectionPlusPositionEncoding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = initialisedTinyModel(manager);
            DecoderTestSupport.randomize(model.encoder(), 5f, 5);
            NDArray images = randomNormal(manager, 1, B, 3, IMAGE, IMAGE);
            float[] memory = model.encode(new ParameterStore(manager, false), images, false).toFloatArray();
            float[] position = PositionalEncoding2D.encode(GRID, GRID, D);
            // LayerNorm starts with gamma 1, beta 0, so memory minus the encoding has zero mean and
            // unit variance per token (up to LayerNorm's epsilon, made negligible by large features)
            for (int b = 0; b < B; b++) {
                for (int n = 0; n < GRID * GRID; n++) {
                    double mean = 0;
                    double square = 0;
                    for (int c = 0; c < D; c++) {
                        double value = memory[(b * GRID * GRID + n) * D + c] - position[n * D + c];
                        mean += value / D;
                        square += value * value / D;
                    }
                    assertEquals(0, mean, 1e-5, "token " + n);
                    assertEquals(1, square - mean * mean, 1e-3, "token " + n);
                }
            }
        }
    }

    @Test
    void saveAndLoadGiveIdenticalLogits() throws IOException, MalformedModelException {
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = initialisedTinyModel(manager);
            DecoderTestSupport.randomize(model, 0.3f, 3);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.saveParameters(new DataOutputStream(bytes));

            EncoderDecoderModel loaded = DecoderTestSupport.tinyModel();
            loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            ParameterStore ps = new ParameterStore(manager, false);
            NDList inputs =
                    new NDList(
                            randomNormal(manager, 1, B, 3, IMAGE, IMAGE),
                            manager.create(DecoderTestSupport.randomTokens(2, B * L, V), new Shape(B, L)));
            assertArrayEquals(
                    model.forward(ps, inputs, false).singletonOrThrow().toFloatArray(),
                    loaded.forward(ps, inputs, false).singletonOrThrow().toFloatArray(),
                    1e-6f,
                    "identical parameters; only the thread schedule of the float sums may differ");
        }
    }

    @Test
    void builderNeedsEncoderAndDecoder() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EncoderDecoderModel.builder().setDecoder(DecoderTestSupport.tinyDecoder()).build());
        assertTrue(e.getMessage().contains("encoder"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> EncoderDecoderModel.builder().setEncoder(new TinyTestEncoder(4, 2)).build());
        assertTrue(e.getMessage().contains("decoder"), e.getMessage());
    }

    @Test
    void rejectsImagesWithoutThreeChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = initialisedTinyModel(manager);
            NDArray gray = randomNormal(manager, 1, B, 1, IMAGE, IMAGE);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> model.encode(new ParameterStore(manager, false), gray, false));
            assertTrue(e.getMessage().contains("(B, 3, H, W)"), e.getMessage());
        }
    }
}
