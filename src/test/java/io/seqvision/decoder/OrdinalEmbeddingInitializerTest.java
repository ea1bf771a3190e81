package io.seqvision.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class OrdinalEmbeddingInitializerTest {

    @Test
    void ordinalRowsFollowTheFormulaAndTheRestStayRandom() {
        int vocab = 40;
        int width = 16;
        int start = 10;
        int count = 20;
        OrdinalEmbeddingInitializer init =
                new OrdinalEmbeddingInitializer(DecoderParts.weightInitializer(), start, count);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray table = init.initialize(manager, new Shape(vocab, width), DataType.FLOAT32);
            float[] values = table.toFloatArray();
            for (int r = 0; r < count; r++) {
                double u = r / (double) (count - 1);
                for (int j = 0; j < width / 2; j++) {
                    double f = Math.PI * Math.pow(count / 2.0, j / (double) (width / 2 - 1));
                    int row = (start + r) * width;
                    assertEquals(0.1 * Math.sin(u * f), values[row + 2 * j], 1e-6);
                    assertEquals(0.1 * Math.cos(u * f), values[row + 2 * j + 1], 1e-6);
                }
            }
            double maxOutside = 0;
            for (int i = 0; i < start * width; i++) {
                maxOutside = Math.max(maxOutside, Math.abs(values[i]));
            }
            assertTrue(maxOutside > 0 && maxOutside <= 0.04 + 1e-6, "other rows keep the truncated normal");
        }
    }

    @Test
    void neighbouringRanksStartCloserThanDistantOnes() {
        float[] rows = OrdinalEmbeddingInitializer.encode(64, 32);
        assertTrue(dot(rows, 20, 21, 32) > dot(rows, 20, 40, 32));
        assertTrue(dot(rows, 20, 22, 32) > dot(rows, 20, 60, 32));
    }

    @Test
    void aRangeOutsideTheVocabularyIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> SequenceDecoder.builder().setVocabSize(10).setMaxLength(4).optOrdinalTokens(8, 5).build());
    }

    private static double dot(float[] rows, int a, int b, int width) {
        double sum = 0;
        for (int k = 0; k < width; k++) {
            sum += rows[a * width + k] * rows[b * width + k];
        }
        return sum;
    }
}
