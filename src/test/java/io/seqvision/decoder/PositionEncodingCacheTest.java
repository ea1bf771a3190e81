package io.seqvision.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PositionEncodingCacheTest {

    @Test
    void madeOncePerGridAndTypeWithTheEncodersValues() {
        PositionEncodingCache cache = new PositionEncodingCache();
        try (NDManager owner = NDManager.newBaseManager()) {
            NDArray first = cache.get(owner, 3, 4, 8, Device.cpu(), DataType.FLOAT32);
            assertEquals(new Shape(12, 8), first.getShape());
            assertArrayEquals(PositionalEncoding2D.encode(3, 4, 8), first.toFloatArray());
            // the array must not borrow a Java buffer that the garbage collector may free
            for (int i = 0; i < 3; i++) {
                System.gc();
                owner.create(new float[4096]).close();
            }
            assertArrayEquals(PositionalEncoding2D.encode(3, 4, 8), first.toFloatArray());
            assertSame(first, cache.get(owner, 3, 4, 8, Device.cpu(), DataType.FLOAT32));
            NDArray half = cache.get(owner, 3, 4, 8, Device.cpu(), DataType.FLOAT16);
            assertNotSame(first, half);
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertNotSame(first, cache.get(owner, 4, 3, 8, Device.cpu(), DataType.FLOAT32));
        }
    }

    @Test
    void survivesTheCallersScopeAndIsRemadeAfterItsOwnerCloses() {
        PositionEncodingCache cache = new PositionEncodingCache();
        NDArray kept;
        NDManager owner = NDManager.newBaseManager();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            kept = cache.get(owner, 2, 2, 4, Device.cpu(), DataType.FLOAT32);
        }
        assertFalse(kept.isReleased(), "an NDScope around a forward pass leaves the cached array alone");
        owner.close();
        assertTrue(kept.isReleased(), "the cached array belongs to the owner");
        try (NDManager next = NDManager.newBaseManager()) {
            NDArray remade = cache.get(next, 2, 2, 4, Device.cpu(), DataType.FLOAT32);
            assertFalse(remade.isReleased());
            assertArrayEquals(PositionalEncoding2D.encode(2, 2, 4), remade.toFloatArray());
        }
    }
}
