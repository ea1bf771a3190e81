package io.seqvision.encoder.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

class DropPathTest {

    @Test
    void isTheIdentityAtInference() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(8, 3, 4, 4));
            DropPath dropPath = DropPath.builder().optRate(0.5).build();
            NDArray y =
                    dropPath.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
            assertArrayEquals(x.toFloatArray(), y.toFloatArray());
        }
    }

    @Test
    void rateZeroIsTheIdentityInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(8, 3, 4, 4));
            assertArrayEquals(x.toFloatArray(), DropPath.apply(x, 0f, true).toFloatArray());
        }
    }

    @Test
    void trainingZeroesOrRescalesWholeSamplesAtTheConfiguredRate() {
        int samples = 4000;
        int perSample = 3 * 2 * 2;
        float rate = 0.25f;
        float scaled = 1f / (1f - rate);
        Engine.getInstance().setRandomSeed(1234);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] y =
                    DropPath.apply(manager.ones(new Shape(samples, 3, 2, 2)), rate, true)
                            .toFloatArray();
            int dropped = 0;
            for (int s = 0; s < samples; s++) {
                float first = y[s * perSample];
                assertTrue(
                        first == 0f || Math.abs(first - scaled) < 1e-6,
                        "sample " + s + " has " + first + ", expected 0 or " + scaled);
                for (int i = 1; i < perSample; i++) {
                    assertEquals(first, y[s * perSample + i], "sample " + s + " is not uniform");
                }
                if (first == 0f) {
                    dropped++;
                }
            }
            // binomial(4000, 0.25): mean 1000, std 27.4; allow 4 std
            assertEquals(samples * rate, dropped, 110, "dropped samples");
        }
    }

    @Test
    void rejectsRatesOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> DropPath.builder().optRate(1.0).build());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DropPath.builder().optRate(-0.1).build());
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
    }
}
