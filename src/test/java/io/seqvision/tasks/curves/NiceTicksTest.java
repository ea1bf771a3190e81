package io.seqvision.tasks.curves;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NiceTicksTest {

    @Test
    void spacingIsOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0.2, NiceTicks.spacing(0, 1, 5), 1e-15);
        assertEquals(500, NiceTicks.spacing(0, 4000, 6), 1e-9, "666 per tick rounds to 500");
        assertEquals(2e-5, NiceTicks.spacing(0, 1e-4, 5), 1e-20);
        assertEquals(10, NiceTicks.spacing(120, 160, 4), 1e-12);
        assertEquals(1000, NiceTicks.spacing(0, 8000, 10), 1e-9, "800 per tick rounds up to 1000");
    }

    @Test
    void ticksAreTheMultiplesInsideTheRange() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0},
                NiceTicks.ticks(-0.04, 1.04, 0.2), 0);
        assertArrayEquals(new double[] {-10, 0, 10}, NiceTicks.ticks(-12, 15, 10), 0);
        assertArrayEquals(new double[] {}, NiceTicks.ticks(0.1, 0.15, 1), 0);
    }

    @Test
    void labelsCarryTheDigitsTheSpacingNeeds() {
        assertEquals("0", NiceTicks.label(1e-17, 0.2));
        assertEquals("0.6", NiceTicks.label(0.6000000000000001, 0.2));
        assertEquals("120", NiceTicks.label(120, 10));
        assertEquals("0.25", NiceTicks.label(0.25, 0.05));
        assertEquals("2.5e-4", NiceTicks.label(2.5e-4, 5e-5));
        assertEquals("3e-5", NiceTicks.label(3.0000000000000004e-5, 1e-5));
        assertEquals("1.5e5", NiceTicks.label(150000, 50000));
        assertEquals("-2", NiceTicks.label(-2, 1));
        assertEquals("1e-4", NiceTicks.label(1.0000000000000001e-4, 5e-5), "no trailing zero");
        assertEquals("1.05e-5", NiceTicks.label(1.05e-5, 5e-7));
        assertEquals("-2e5", NiceTicks.label(-200000, 50000));
    }

    @Test
    void stepLabelsSwitchToThousandsFromTenThousand() {
        assertEquals("300", NiceTicks.stepLabel(300, 100, 4000));
        assertEquals("12k", NiceTicks.stepLabel(12000, 2000, 40000));
        assertEquals("2.5k", NiceTicks.stepLabel(2500, 500, 10000));
        assertEquals("0", NiceTicks.stepLabel(0, 5000, 40000));
    }
}
