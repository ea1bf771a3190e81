package io.seqvision.tasks.curves;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EmaTest {

    @Test
    void equalsTheExponentiallyWeightedMeanOfTheValuesSoFar() {
        double w = 0.8;
        double[] x = new Random(7).doubles(40, -3, 3).toArray();
        double[] smoothed = Ema.smooth(x, w);
        for (int n = 1; n <= x.length; n++) {
            // The closed form: sum_i w^(n-i) x_i / sum_i w^(n-i), a weighted mean, no recursion.
            double numerator = 0;
            double denominator = 0;
            for (int i = 1; i <= n; i++) {
                numerator += Math.pow(w, n - i) * x[i - 1];
                denominator += Math.pow(w, n - i);
            }
            assertEquals(numerator / denominator, smoothed[n - 1], 1e-12, "point " + n);
        }
    }

    @Test
    void smallCaseByHand() {
        // m = 0.5, 1.25, 2.125 before dividing by 1 - 0.5^n = 0.5, 0.75, 0.875.
        assertArrayEquals(new double[] {1, 1.25 / 0.75, 2.125 / 0.875}, Ema.smooth(new double[] {1, 2, 3}, 0.5), 1e-12);
        assertArrayEquals(new double[] {4, 5, 6}, Ema.smooth(new double[] {4, 5, 6}, 0), 0);
    }

    @Test
    void nonFiniteValuesArePassedOver() {
        double[] smoothed = Ema.smooth(new double[] {1, Double.NaN, 3, Double.POSITIVE_INFINITY}, 0.5);
        assertEquals(1, smoothed[0]);
        assertTrue(Double.isNaN(smoothed[1]));
        assertEquals(Ema.smooth(new double[] {1, 3}, 0.5)[1], smoothed[2], 0, "as if the NaN were not there");
        assertTrue(Double.isNaN(smoothed[3]));
    }

    @Test
    void weightOutsideTheUnitIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ema.smooth(new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> Ema.smooth(new double[] {1}, -0.1));
        assertThrows(IllegalArgumentException.class, () -> Ema.smooth(new double[] {1}, Double.NaN));
    }
}
