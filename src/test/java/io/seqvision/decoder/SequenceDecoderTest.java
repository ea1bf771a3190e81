package io.seqvision.decoder;

import static io.seqvision.decoder.DecoderTestSupport.maxAbsDiff;
import static io.seqvision.decoder.DecoderTestSupport.parameter;
import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static io.seqvision.decoder.DecoderTestSupport.tinyDecoder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

class SequenceDecoderTest {

    private static final int B = 2;
    private static final int L = 6;
    private static final int N = 5;
    private static final int D = 8;
    private static final int V = 11;

    @Test
    void logitsHaveShapeBatchLengthVocab() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            NDArray logits = run(decoder, manager, tokens(manager, 1), randomNormal(manager, 2, B, N, D));
            assertEquals(new Shape(B, L, V), logits.getShape());
            Shape[] inputShapes = {new Shape(B, L), new Shape(B, N, D)};
            assertEquals(new Shape(B, L, V), decoder.getOutputShapes(inputShapes)[0]);
        }
    }

    @Test
    void changingTokenJChangesOnlyPositionsFromJOn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            NDArray memory = randomNormal(manager, 2, B, N, D);
            int[] original = DecoderTestSupport.randomTokens(3, B * L, V);
            int j = 3;
            int[] changed = original.clone();
            for (int b = 0; b < B; b++) {
                changed[b * L + j] = (original[b * L + j] + 1) % V;
            }
            NDArray before = run(decoder, manager, manager.create(original, new Shape(B, L)), memory);
            NDArray after = run(decoder, manager, manager.create(changed, new Shape(B, L)), memory);
            for (int position = 0; position < L; position++) {
                float diff = maxAbsDiff(positionLogits(before, position), positionLogits(after, position));
                if (position < j) {
                    assertTrue(diff < 1e-6f, "position " + position + " changed by " + diff);
                } else if (position == j) {
                    assertTrue(diff > 1e-3f, "position " + j + " changed only by " + diff);
                }
            }
        }
    }

    @Test
    void changingMemoryChangesLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            NDArray tokens = tokens(manager, 1);
            float[] a = run(decoder, manager, tokens, randomNormal(manager, 2, B, N, D)).toFloatArray();
            float[] b = run(decoder, manager, tokens, randomNormal(manager, 3, B, N, D)).toFloatArray();
            assertTrue(maxAbsDiff(a, b) > 1e-3f, "memory changed logits by only " + maxAbsDiff(a, b));
        }
    }

    @Test
    void outputProjectionIsTiedToTokenEmbedding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            long sharedShape = decoder.getParameters().values().stream()
                    .filter(p -> p.getShape().equals(new Shape(V, D)))
                    .count();
            assertEquals(1, sharedShape, "one (V, D) matrix serves input and output");

            NDArray hidden = randomNormal(manager, 5, 1, 1, D);
            float[] actual =
                    decoder.outputLogits(new ParameterStore(manager, false), hidden, false).toFloatArray();
            float[] h = hidden.toFloatArray();
            float[] gamma = parameter(decoder, "finalNorm_gamma").getArray().toFloatArray();
            float[] beta = parameter(decoder, "finalNorm_beta").getArray().toFloatArray();
            float[] embedding = parameter(decoder, "tokenEmbedding").getArray().toFloatArray();
            float[] bias = parameter(decoder, "outputBias").getArray().toFloatArray();
            double mean = 0;
            for (float value : h) {
                mean += value / D;
            }
            double variance = 0;
            for (float value : h) {
                variance += (value - mean) * (value - mean) / D;
            }
            float[] expected = new float[V];
            for (int v = 0; v < V; v++) {
                double sum = bias[v];
                for (int c = 0; c < D; c++) {
                    double normed = (h[c] - mean) / Math.sqrt(variance + 1e-5) * gamma[c] + beta[c];
                    sum += normed * embedding[v * D + c];
                }
                expected[v] = (float) sum;
            }
            assertTrue(maxAbsDiff(expected, actual) < 1e-5f, "max diff " + maxAbsDiff(expected, actual));
        }
    }

    @Test
    void tooLongSequenceIsRejectedNamingBothLengths() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            NDArray tooLong = manager.zeros(new Shape(B, 9), DataType.INT32);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> run(decoder, manager, tooLong, randomNormal(manager, 2, B, N, D)));
            assertTrue(e.getMessage().contains("9") && e.getMessage().contains("maximum length 8"), e.getMessage());
        }
    }

    @Test
    void memoryOfWrongWidthIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> run(decoder, manager, tokens(manager, 1), randomNormal(manager, 2, B, N, D + 4)));
            assertTrue(e.getMessage().contains("memory"), e.getMessage());
        }
    }

    @Test
    void initialisationFollowsTheScheme() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder =
                    SequenceDecoder.builder().setVocabSize(400).setMaxLength(64).optWidth(32).optLayers(1)
                            .optHeads(4).optMlpDim(64).build();
            decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 3, 32));
            for (Pair<String, Parameter> entry : decoder.getParameters()) {
                String name = entry.getKey();
                float[] values = entry.getValue().getArray().toFloatArray();
                if (name.endsWith("gamma")) {
                    assertAllEqual(values, 1f, name);
                } else if (name.endsWith("beta") || name.endsWith("bias") || name.endsWith("outputBias")) {
                    assertAllEqual(values, 0f, name);
                } else if (name.endsWith("Embedding")) {
                    double sumSquares = 0;
                    for (float value : values) {
                        assertTrue(Math.abs(value) <= 0.04f + 1e-6f, name + " has " + value + " beyond 2 std");
                        sumSquares += value * value;
                    }
                    double std = Math.sqrt(sumSquares / values.length);
                    // a normal truncated at 2 sigma has std 0.88 sigma
                    assertEquals(0.0176, std, 0.003, name + " std");
                } else {
                    Shape shape = entry.getValue().getArray().getShape();
                    double limit = Math.sqrt(6.0 / (shape.get(0) + shape.get(1)));
                    double sumSquares = 0;
                    for (float value : values) {
                        assertTrue(Math.abs(value) <= limit + 1e-6, name + " has " + value + " beyond the Glorot limit");
                        sumSquares += value * value;
                    }
                    // uniform on [-a, a] has std a / sqrt(3)
                    assertEquals(limit / Math.sqrt(3), Math.sqrt(sumSquares / values.length), 0.15 * limit, name + " std");
                }
            }
        }
    }

    @Test
    void saveAndLoadGiveIdenticalLogits() throws IOException, MalformedModelException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            decoder.saveParameters(new DataOutputStream(bytes));

            SequenceDecoder loaded = tinyDecoder();
            loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray tokens = tokens(manager, 1);
            NDArray memory = randomNormal(manager, 2, B, N, D);
            assertArrayEquals(
                    run(decoder, manager, tokens, memory).toFloatArray(),
                    run(loaded, manager, tokens, memory).toFloatArray());

            SequenceDecoder otherVocab =
                    SequenceDecoder.builder().setVocabSize(12).setMaxLength(8).optWidth(8).optLayers(2)
                            .optHeads(2).optMlpDim(16).build();
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () -> otherVocab.loadParameters(
                                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("vocabSize=11"), e.getMessage());
        }
    }

    @Test
    void gradientsReachTheEmbeddingsInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceDecoder decoder = initialised(manager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits =
                        decoder.forward(
                                        new ParameterStore(manager, false),
                                        new NDList(tokens(manager, 1), randomNormal(manager, 2, B, N, D)),
                                        true)
                                .singletonOrThrow();
                collector.backward(logits.square().sum());
            }
            for (String name : new String[] {"tokenEmbedding", "positionEmbedding", "mlpExpand_weight"}) {
                for (Pair<String, Parameter> entry : decoder.getParameters()) {
                    if (entry.getKey().endsWith(name)) {
                        float norm = entry.getValue().getArray().getGradient().abs().sum().getFloat();
                        assertTrue(norm > 0f, entry.getKey() + " got no gradient");
                    }
                }
            }
        }
    }

    @Test
    void builderRejectsBadSettings() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> SequenceDecoder.builder().setMaxLength(8).build());
        assertTrue(e.getMessage().contains("vocabSize"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SequenceDecoder.builder().setVocabSize(5).setMaxLength(8).optWidth(12).optHeads(8).build());
        assertTrue(e.getMessage().contains("12") && e.getMessage().contains("8"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SequenceDecoder.builder().setVocabSize(5).setMaxLength(8).optDropout(1f).build());
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }

    private static void assertAllEqual(float[] values, float expected, String name) {
        for (float value : values) {
            assertEquals(expected, value, 0f, name);
        }
    }

    private static SequenceDecoder initialised(NDManager manager) {
        SequenceDecoder decoder = tinyDecoder();
        decoder.initialize(manager, DataType.FLOAT32, new Shape(B, L), new Shape(B, N, D));
        DecoderTestSupport.randomize(decoder, 0.3f, 42);
        return decoder;
    }

    private static NDArray tokens(NDManager manager, long seed) {
        return manager.create(DecoderTestSupport.randomTokens(seed, B * L, V), new Shape(B, L));
    }

    private static NDArray run(SequenceDecoder decoder, NDManager manager, NDArray tokens, NDArray memory) {
        return decoder.forward(new ParameterStore(manager, false), new NDList(tokens, memory), false)
                .singletonOrThrow();
    }

    private static float[] positionLogits(NDArray logits, int position) {
        return logits.get(new NDIndex(":, {}, :", position)).toFloatArray();
    }
}
