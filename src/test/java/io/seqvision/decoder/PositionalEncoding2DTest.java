package io.seqvision.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PositionalEncoding2DTest {

    @Test
    void matchesTheFormula() {
        int h = 3;
        int w = 5;
        int d = 16;
        int half = d / 2;
        float[] encoding = PositionalEncoding2D.encode(h, w, d);
        assertEquals(h * w * d, encoding.length);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int k = 0; k < half; k++) {
                    // pairs (2m, 2m+1) share the frequency 10000^(-2m / half)
                    double frequency = 1.0 / Math.pow(10000.0, (double) (k - k % 2) / half);
                    double y = 2 * Math.PI * (i + 1) / h * frequency;
                    double x = 2 * Math.PI * (j + 1) / w * frequency;
                    double expectedY = k % 2 == 0 ? Math.sin(y) : Math.cos(y);
                    double expectedX = k % 2 == 0 ? Math.sin(x) : Math.cos(x);
                    int row = (i * w + j) * d;
                    assertEquals(expectedY, encoding[row + k], 1e-6, "y channel " + k + " at " + i + "," + j);
                    assertEquals(expectedX, encoding[row + half + k], 1e-6, "x channel " + k + " at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void knownValuesAtTheLastCell() {
        // (i, j) = (h-1, w-1): both coordinates are 2 pi, so the first pair is (sin 2pi, cos 2pi)
        float[] encoding = PositionalEncoding2D.encode(2, 3, 8);
        int row = (1 * 3 + 2) * 8;
        assertEquals(0f, encoding[row], 1e-6f);
        assertEquals(1f, encoding[row + 1], 1e-6f);
        assertEquals(0f, encoding[row + 4], 1e-6f);
        assertEquals(1f, encoding[row + 5], 1e-6f);
        // second pair, frequency 10000^(-2/4) = 0.01: sin(0.02 pi), cos(0.02 pi)
        assertEquals((float) Math.sin(0.02 * Math.PI), encoding[row + 2], 1e-6f);
        assertEquals((float) Math.cos(0.02 * Math.PI), encoding[row + 3], 1e-6f);
    }

    @Test
    void firstHalfDependsOnlyOnRowSecondOnlyOnColumn() {
        int h = 4;
        int w = 3;
        int d = 8;
        float[] encoding = PositionalEncoding2D.encode(h, w, d);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int k = 0; k < d / 2; k++) {
                    assertEquals(encoding[(i * w) * d + k], encoding[(i * w + j) * d + k]);
                    assertEquals(encoding[j * d + d / 2 + k], encoding[(i * w + j) * d + d / 2 + k]);
                }
            }
        }
    }

    @Test
    void ndArrayHasGridByChannelsShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray encoding = PositionalEncoding2D.create(manager, 2, 3, 8);
            assertEquals(new Shape(6, 8), encoding.getShape());
        }
    }

    @Test
    void rejectsChannelsNotMultipleOfFour() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PositionalEncoding2D.encode(2, 2, 6));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PositionalEncoding2D.encode(0, 2, 8));
    }
}
