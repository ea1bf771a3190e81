package io.seqvision.decoder;

import static io.seqvision.decoder.DecoderTestSupport.maxAbsDiff;
import static io.seqvision.decoder.DecoderTestSupport.parameter;
import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest {

    private static final int B = 2;
    private static final int D = 8;
    private static final int H = 2;

    @Test
    void outputHasQueryShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultiHeadAttention attention = MultiHeadAttention.builder().setWidth(D).setHeads(H).build();
            attention.initialize(manager, DataType.FLOAT32, new Shape(B, 3, D), new Shape(B, 5, D));
            NDArray out =
                    forward(attention, manager, randomNormal(manager, 1, B, 3, D), randomNormal(manager, 2, B, 5, D));
            assertEquals(new Shape(B, 3, D), out.getShape());
        }
    }

    @Test
    void crossAttentionMatchesJavaReference() {
        checkAgainstReference(false, 3, 5);
    }

    @Test
    void causalSelfAttentionMatchesJavaReference() {
        checkAgainstReference(true, 4, 4);
    }

    @Test
    void causalQueriesAfterCachedKeysMatchJavaReference() {
        checkAgainstReference(true, 2, 5);
    }

    @Test
    void builderRejectsWidthNotDivisibleByHeads() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MultiHeadAttention.builder().setWidth(10).setHeads(4).build());
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void rejectsInputOfWrongWidth() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultiHeadAttention attention = MultiHeadAttention.builder().setWidth(D).setHeads(H).build();
            attention.initialize(manager, DataType.FLOAT32, new Shape(B, 3, D), new Shape(B, 3, D));
            NDArray wrong = randomNormal(manager, 1, B, 3, D + 1);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> forward(attention, manager, wrong, wrong));
            assertTrue(e.getMessage().contains("(B, L, 8)"), e.getMessage());
        }
    }

    private static void checkAgainstReference(boolean causal, int queryLength, int keyLength) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultiHeadAttention attention =
                    MultiHeadAttention.builder().setWidth(D).setHeads(H).optCausal(causal).build();
            attention.initialize(
                    manager, DataType.FLOAT32, new Shape(B, queryLength, D), new Shape(B, keyLength, D));
            DecoderTestSupport.randomize(attention, 0.5f, 7);
            NDArray query = randomNormal(manager, 11, B, queryLength, D);
            NDArray keyValue = randomNormal(manager, 12, B, keyLength, D);

            float[] actual = forward(attention, manager, query, keyValue).toFloatArray();
            float[] expected =
                    reference(
                            attention,
                            query.toFloatArray(),
                            keyValue.toFloatArray(),
                            queryLength,
                            keyLength,
                            causal);
            assertTrue(maxAbsDiff(expected, actual) < 1e-5f, "max diff " + maxAbsDiff(expected, actual));
        }
    }

    private static NDArray forward(
            MultiHeadAttention attention, NDManager manager, NDArray query, NDArray keyValue) {
        return attention
                .forward(new ParameterStore(manager, false), new NDList(query, keyValue), false)
                .singletonOrThrow();
    }

    /** Plain-Java multi-head attention over the block's own parameters. */
    private static float[] reference(
            MultiHeadAttention attention,
            float[] query,
            float[] keyValue,
            int queryLength,
            int keyLength,
            boolean causal) {
        int headWidth = D / H;
        float[] out = new float[B * queryLength * D];
        for (int b = 0; b < B; b++) {
            double[][] q = project(attention, "query", query, b, queryLength);
            double[][] k = project(attention, "key", keyValue, b, keyLength);
            double[][] v = project(attention, "value", keyValue, b, keyLength);
            for (int i = 0; i < queryLength; i++) {
                double[] context = new double[D];
                for (int h = 0; h < H; h++) {
                    int visible = causal ? keyLength - queryLength + i + 1 : keyLength;
                    double[] scores = new double[visible];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < visible; j++) {
                        double dot = 0;
                        for (int c = 0; c < headWidth; c++) {
                            dot += q[i][h * headWidth + c] * k[j][h * headWidth + c];
                        }
                        scores[j] = dot / Math.sqrt(headWidth);
                        max = Math.max(max, scores[j]);
                    }
                    double total = 0;
                    for (int j = 0; j < visible; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        total += scores[j];
                    }
                    for (int j = 0; j < visible; j++) {
                        for (int c = 0; c < headWidth; c++) {
                            context[h * headWidth + c] += scores[j] / total * v[j][h * headWidth + c];
                        }
                    }
                }
                double[] projected = linear(attention, "output", context);
                for (int c = 0; c < D; c++) {
                    out[(b * queryLength + i) * D + c] = (float) projected[c];
                }
            }
        }
        return out;
    }

    private static double[][] project(
            MultiHeadAttention attention, String name, float[] sequence, int b, int length) {
        double[][] result = new double[length][];
        for (int i = 0; i < length; i++) {
            double[] x = new double[D];
            for (int c = 0; c < D; c++) {
                x[c] = sequence[(b * length + i) * D + c];
            }
            result[i] = linear(attention, name, x);
        }
        return result;
    }

    private static double[] linear(MultiHeadAttention attention, String name, double[] x) {
        float[] weight = parameter(attention, name + "_weight").getArray().toFloatArray();
        float[] bias = parameter(attention, name + "_bias").getArray().toFloatArray();
        double[] y = new double[D];
        for (int o = 0; o < D; o++) {
            double sum = bias[o];
            for (int i = 0; i < D; i++) {
                sum += weight[o * D + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }
}
