package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PolygonSimplifierTest {

    @Test
    void zeroToleranceRemovesOnlyCollinearVertices() {
        double[] square = {0, 0, 5, 0, 10, 0, 10, 5, 10, 10, 5, 10, 0, 10, 0, 5};
        assertArrayEquals(new double[] {0, 0, 10, 0, 10, 10, 0, 10}, PolygonSimplifier.simplify(square, 0));
    }

    @Test
    void everyDroppedVertexLiesWithinToleranceOfTheResultAndAtLeastThreeSurvive() {
        Random random = new Random(8);
        for (int trial = 0; trial < 300; trial++) {
            int n = 3 + random.nextInt(100);
            double[] xy = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double r = 50 + 50 * random.nextDouble();
                xy[2 * i] = r * Math.cos(2 * Math.PI * i / n);
                xy[2 * i + 1] = r * Math.sin(2 * Math.PI * i / n);
            }
            double tolerance = random.nextDouble() * 40;
            double[] kept = PolygonSimplifier.simplify(xy, tolerance);
            assertTrue(kept.length >= 6);
            assertSubsequence(xy, kept);
            for (int i = 0; i < n; i++) {
                double distance = distanceToBoundary(xy[2 * i], xy[2 * i + 1], kept);
                assertTrue(distance <= tolerance + 1e-9, "vertex " + i + " is " + distance + " away, tolerance " + tolerance);
            }
        }
    }

    private static void assertSubsequence(double[] xy, double[] kept) {
        int k = 0;
        for (int i = 0; i < xy.length / 2 && k < kept.length / 2; i++) {
            if (xy[2 * i] == kept[2 * k] && xy[2 * i + 1] == kept[2 * k + 1]) {
                k++;
            }
        }
        assertTrue(k == kept.length / 2, "kept vertices are not a subsequence of the input");
    }

    private static double distanceToBoundary(double px, double py, double[] polygon) {
        int n = polygon.length / 2;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double[] three = {px, py, polygon[2 * j], polygon[2 * j + 1], polygon[2 * i], polygon[2 * i + 1]};
            best = Math.min(best, PolygonSimplifier.segmentDistance(three, 0, 1, 2));
        }
        return best;
    }
}
