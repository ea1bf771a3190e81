package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Path2D;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonsTest {

    /** Fraction-of-grid estimate of the union's area: independent of java.awt.geom.Area. */
    private static double sampledUnionArea(List<double[]> polygons, double step) {
        double[] b = Polygons.bounds(polygons);
        List<Path2D.Double> paths = polygons.stream().map(Polygons::path).toList();
        long inside = 0;
        for (double y = b[1] + step / 2; y < b[3]; y += step) {
            for (double x = b[0] + step / 2; x < b[2]; x += step) {
                double px = x;
                double py = y;
                if (paths.stream().anyMatch(p -> p.contains(px, py))) {
                    inside++;
                }
            }
        }
        return inside * step * step;
    }

    @Test
    void regularPolygonAreaMatchesFormula() {
        double r = 20;
        int n = 32;
        double expected = 0.5 * n * r * r * Math.sin(2 * Math.PI / n);
        assertEquals(expected, Polygons.area(Polygons.regular(50, 40, r, n, 0.3)), 1e-9);
        assertEquals(2 * r * r, Polygons.area(Polygons.regular(0, 0, r, 4, 1.1)), 1e-9);
    }

    @Test
    void starAreaMatchesTenTriangles() {
        double outer = 30;
        double inner = 12;
        // each of the 10 triangles (centre, tip, notch) has area outer * inner * sin(pi / 5) / 2
        double expected = 10 * 0.5 * outer * inner * Math.sin(Math.PI / 5);
        assertEquals(expected, Polygons.area(Polygons.star(0, 0, outer, inner, 5, 0.7)), 1e-9);
    }

    @Test
    void capsuleIsRectangleWithTwoHalfDiscs() {
        double[] capsule = Polygons.capsule(10, 10, 40, 50, 5, 6);
        double length = 50;
        // two half 12-gons with circumradius 5 make one 12-gon
        double expected = 2 * 5 * length + 0.5 * 12 * 25 * Math.sin(2 * Math.PI / 12);
        assertEquals(expected, Polygons.area(capsule), 1e-9);
        assertEquals(28, capsule.length);
    }

    @Test
    void unionAreaOfOverlappingPolygonsMatchesSampling() {
        List<double[]> polygons = List.of(
                Polygons.regular(30, 30, 20, 20, 0),
                Polygons.capsule(30, 30, 80, 60, 6, 6),
                Polygons.star(70, 60, 25, 10, 5, 0.2));
        double union = Polygons.unionArea(polygons);
        double sum = polygons.stream().mapToDouble(Polygons::area).sum();
        assertEquals(sampledUnionArea(polygons, 0.1), union, 0.005 * union);
        assertTrue(union < sum - 50, "overlaps must be counted once");
    }

    @Test
    void unionAreaSubtractsEnclosedHole() {
        // four bars forming a square ring: the hole in the middle is not part of the union
        List<double[]> ring = List.of(
                Polygons.capsule(0, 0, 100, 0, 5, 6),
                Polygons.capsule(100, 0, 100, 100, 5, 6),
                Polygons.capsule(100, 100, 0, 100, 5, 6),
                Polygons.capsule(0, 100, 0, 0, 5, 6));
        double union = Polygons.unionArea(ring);
        assertEquals(sampledUnionArea(ring, 0.1), union, 0.005 * union);
        assertTrue(union < 110 * 110 - 90 * 90 + 100);
    }

    @Test
    void translateAndRoundKeepsTwoDecimals() {
        assertArrayEquals(new double[] {1.23, 4.57}, Polygons.translateAndRound(new double[] {1.0, 2.0}, 0.2345,
                2.5678), 0);
    }
}
