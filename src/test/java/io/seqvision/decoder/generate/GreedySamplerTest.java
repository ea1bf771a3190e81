package io.seqvision.decoder.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GreedySamplerTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void choosesArgMaxPerRow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] logits = {0.1f, 2f, -1f, 0f, NEG_INF, -3f, 5f, 4.9f};
            int[] chosen = new GreedySampler().sample(manager.create(logits, new Shape(2, 4)));
            assertArrayEquals(new int[] {1, 2}, chosen);
        }
    }

    @Test
    void tiesGoToTheLowestId() {
        assertEquals(1, new GreedySampler().sampleRow(new float[] {0f, 3f, 3f, 1f}));
    }

    @Test
    void rejectsRowsWithoutAnAllowedToken() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new GreedySampler().sampleRow(new float[] {NEG_INF, NEG_INF}));
        assertTrue(e.getMessage().contains("-infinity"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new GreedySampler().sampleRow(new float[] {0f, Float.NaN}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void rejectsLogitsThatAreNotAMatrix() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new GreedySampler().sample(manager.create(new float[] {1f, 2f})));
            assertTrue(e.getMessage().contains("(B, V)"), e.getMessage());
        }
    }
}
