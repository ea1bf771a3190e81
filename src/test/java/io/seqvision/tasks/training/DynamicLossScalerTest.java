package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DynamicLossScalerTest {

    @Test
    void overflowSkipsTheStepAndHalvesTheScale() {
        DynamicLossScaler scaler = new DynamicLossScaler(1024, 2, 0.5, 3);
        assertTrue(scaler.update(true));
        assertFalse(scaler.update(false), "an overflowed step is not applied");
        assertEquals(512, scaler.scale());
        assertEquals(0, scaler.goodSteps(), "an overflow restarts the count of good steps");
        assertFalse(scaler.update(false));
        assertEquals(256, scaler.scale());
        assertEquals(2, scaler.skippedSteps());
    }

    @Test
    void scaleGrowsAfterTheIntervalOfGoodStepsInARow() {
        DynamicLossScaler scaler = new DynamicLossScaler(1024, 2, 0.5, 3);
        scaler.update(true);
        scaler.update(true);
        assertEquals(1024, scaler.scale(), "two good steps are not enough");
        scaler.update(false);
        scaler.update(true);
        scaler.update(true);
        assertEquals(512, scaler.scale(), "the overflow reset the count");
        assertTrue(scaler.update(true));
        assertEquals(1024, scaler.scale(), "the third good step in a row doubles the scale");
        assertEquals(0, scaler.goodSteps());
    }

    @Test
    void defaultsArePyTorchGradScalers() {
        DynamicLossScaler scaler = new DynamicLossScaler();
        assertEquals(65536, scaler.scale());
        for (int i = 0; i < 1999; i++) {
            scaler.update(true);
        }
        assertEquals(65536, scaler.scale());
        scaler.update(true);
        assertEquals(131072, scaler.scale());
    }

    @Test
    void rejectsBadSettingsByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DynamicLossScaler(0, 2, 0.5, 1))
                .getMessage().contains("initial loss scale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DynamicLossScaler(1, 1, 0.5, 1))
                .getMessage().contains("growth factor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DynamicLossScaler(1, 2, 1, 1))
                .getMessage().contains("backoff"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DynamicLossScaler(1, 2, 0.5, 0))
                .getMessage().contains("interval"));
    }
}
