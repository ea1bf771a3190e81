package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tokenizers.BinaryMask;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunLengthMaskTest {

    @Test
    void roundTripsThroughBinaryMaskAndCountsArea() {
        Random random = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            int width = 1 + random.nextInt(30);
            int height = 1 + random.nextInt(30);
            boolean[] pixels = new boolean[width * height];
            double density = random.nextDouble();
            int set = 0;
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextDouble() < density;
                set += pixels[i] ? 1 : 0;
            }
            BinaryMask mask = new BinaryMask(width, height, pixels);
            RunLengthMask runs = RunLengthMask.of(mask);
            assertEquals(mask, runs.toBinaryMask());
            assertEquals(set, runs.area());
            assertEquals(width, runs.width());
            assertEquals(height, runs.height());
        }
    }

    @Test
    void intersectionAgreesWithPixelCountsOnRandomMasks() {
        // Includes runs that wrap from one row into the next and masks touching the last pixel.
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int width = 1 + random.nextInt(12);
            int height = 1 + random.nextInt(12);
            boolean[] a = randomPixels(random, width * height);
            boolean[] b = randomPixels(random, width * height);
            int expected = 0;
            for (int i = 0; i < a.length; i++) {
                expected += a[i] && b[i] ? 1 : 0;
            }
            RunLengthMask ma = RunLengthMask.of(new BinaryMask(width, height, a));
            RunLengthMask mb = RunLengthMask.of(new BinaryMask(width, height, b));
            assertEquals(expected, ma.intersection(mb));
            assertEquals(expected, mb.intersection(ma));
        }
    }

    @Test
    void rectangleIsClippedToTheImage() {
        // x in [-2, 3) and y in [1, 10) on a 5 x 4 image: columns 0-2, rows 1-3 -> 9 pixels.
        RunLengthMask clipped = RunLengthMask.rectangle(5, 4, -2, 1, 3, 10);
        assertEquals(9, clipped.area());
        BinaryMask pixels = clipped.toBinaryMask();
        assertTrue(pixels.get(0, 1) && pixels.get(2, 3));
        assertTrue(!pixels.get(3, 1) && !pixels.get(0, 0));
        // full-width rows become one run; an off-image rectangle is empty
        assertEquals(8, RunLengthMask.rectangle(4, 4, 0, 1, 4, 3).area());
        assertEquals(RunLengthMask.empty(4, 4), RunLengthMask.rectangle(4, 4, 5, 5, 9, 9));
    }

    @Test
    void masksSideBySideDoNotOverlap() {
        RunLengthMask left = RunLengthMask.rectangle(10, 10, 0, 0, 5, 10);
        RunLengthMask right = RunLengthMask.rectangle(10, 10, 5, 0, 10, 10);
        assertEquals(0, left.intersection(right));
        assertEquals(50, left.intersection(left));
        assertEquals(0, left.intersection(RunLengthMask.empty(10, 10)));
    }

    @Test
    void sizesMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunLengthMask.empty(4, 3).intersection(RunLengthMask.empty(3, 4)));
        assertTrue(e.getMessage().contains("4 x 3") && e.getMessage().contains("3 x 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunLengthMask.empty(0, 3));
    }

    @Test
    void equalityIsByPixels() {
        RunLengthMask a = RunLengthMask.rectangle(6, 6, 1, 1, 3, 3);
        RunLengthMask b = RunLengthMask.of(a.toBinaryMask());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, RunLengthMask.rectangle(6, 6, 1, 1, 3, 4));
        assertNotEquals(a, RunLengthMask.rectangle(7, 6, 1, 1, 3, 3));
    }

    private static boolean[] randomPixels(Random random, int count) {
        boolean[] pixels = new boolean[count];
        for (int i = 0; i < count; i++) {
            pixels[i] = random.nextInt(3) > 0;
        }
        return pixels;
    }
}
