package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapesOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(new ShapesOptions(7, 2000, 200, 128, 256, 1, 6), ShapesOptions.defaults());
        assertEquals(new ShapesOptions(9, 5, 2, 128, 256, 1, 6), ShapesOptions.defaults().withSeed(9).withImages(5, 2));
    }

    @Test
    void rejectsBadValuesNamingOptionAndValue() {
        assertMessage("trainImages must be >= 0, got -1", () -> new ShapesOptions(1, -1, 0, 128, 256, 1, 6));
        assertMessage("valImages must be >= 0, got -2", () -> new ShapesOptions(1, 0, -2, 128, 256, 1, 6));
        assertMessage("minSize must be >= 64, got 10", () -> new ShapesOptions(1, 1, 1, 10, 256, 1, 6));
        assertMessage("maxSize must be >= minSize (128), got 100", () -> new ShapesOptions(1, 1, 1, 128, 100, 1, 6));
        assertMessage("maxSize must be <= 4096, got 5000", () -> new ShapesOptions(1, 1, 1, 128, 5000, 1, 6));
        assertMessage("minObjects must be >= 1, got 0", () -> new ShapesOptions(1, 1, 1, 128, 256, 0, 6));
        assertMessage("maxObjects must be >= minObjects (3), got 2", () -> new ShapesOptions(1, 1, 1, 128, 256, 3, 2));
        assertMessage("maxObjects must be <= 10, got 11", () -> new ShapesOptions(1, 1, 1, 128, 256, 1, 11));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, action).getMessage());
    }
}
