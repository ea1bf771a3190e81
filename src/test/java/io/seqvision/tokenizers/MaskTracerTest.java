package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class MaskTracerTest {

    private static BinaryMask mask(int width, int height, BiPredicate<Integer, Integer> inside) {
        boolean[] pixels = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = inside.test(x, y);
            }
        }
        return new BinaryMask(width, height, pixels);
    }

    private static BinaryMask rasterize(List<NormalizedPolygon> polygons, BinaryMask like) {
        return PolygonRasterizer.rasterize(polygons, like.width(), like.height());
    }

    private static int points(List<NormalizedPolygon> polygons) {
        return polygons.stream().mapToInt(NormalizedPolygon::pointCount).sum();
    }

    @Test
    void rectangleGivesItsFourCornersInPixelCornerCoordinates() {
        BinaryMask rect = mask(10, 8, (x, y) -> x >= 2 && x < 7 && y >= 3 && y < 5);
        List<NormalizedPolygon> polygons = MaskTracer.trace(rect);
        assertEquals(1, polygons.size());
        // clockwise on screen from the top-left corner, normalised by width 10 and height 8
        assertEquals(new NormalizedPolygon(new double[] {0.2, 3 / 8.0, 0.7, 3 / 8.0, 0.7, 5 / 8.0, 0.2, 5 / 8.0}),
                polygons.get(0));
    }

    @Test
    void exactTraceRasterisesBackToTheMaskOfRandomShapes() {
        Random random = new Random(5);
        for (int trial = 0; trial < 40; trial++) {
            int width = 110 + random.nextInt(80);
            int height = 110 + random.nextInt(80);
            BinaryMask shape = PolygonRasterizer.rasterize(
                    List.of(Shapes.shape(trial % 4, random, width, height)), width, height);
            assertEquals(shape, rasterize(MaskTracer.trace(shape), shape), "trial " + trial);
        }
    }

    @Test
    void separateComponentsBecomeSeparatePolygonsLargestFirst() {
        BinaryMask two = mask(30, 20, (x, y) -> x < 4 && y < 4 || x >= 10 && x < 25 && y >= 5 && y < 15);
        List<NormalizedPolygon> polygons = MaskTracer.trace(two);
        assertEquals(2, polygons.size());
        assertEquals(150 / 600.0, polygons.get(0).area(), 1e-12);
        assertEquals(16 / 600.0, polygons.get(1).area(), 1e-12);
        assertEquals(two, rasterize(polygons, two));
    }

    @Test
    void diagonalNeighboursAreOneComponentAndSurviveTheRoundTrip() {
        // two staircases of pixels touching only at corners
        BinaryMask diagonal = mask(12, 12, (x, y) -> x == y || (x + y == 11 && x >= 8));
        List<NormalizedPolygon> polygons = MaskTracer.trace(diagonal);
        assertEquals(2, polygons.size(), "the diagonal and the short anti-diagonal");
        assertEquals(12, polygons.get(0).area() * 144, 1e-9);
        assertEquals(diagonal, rasterize(polygons, diagonal));
        // in a checkerboard, a background pixel enclosed by four set ones is a hole (background is 4-connected)
        BinaryMask checkerboard = mask(4, 4, (x, y) -> (x + y) % 2 == 0);
        BinaryMask expected = mask(4, 4, (x, y) -> (x + y) % 2 == 0 || x == 1 && y == 2 || x == 2 && y == 1);
        assertEquals(expected, rasterize(MaskTracer.trace(checkerboard), checkerboard));
    }

    @Test
    void holesAreFilledAndComponentsInsideHolesAbsorbed() {
        // a ring with a dot in its hole: one outer polygon, the hole and the dot filled in
        BinaryMask ring = mask(40, 40, (x, y) -> {
            int d = (x - 20) * (x - 20) + (y - 20) * (y - 20);
            return d <= 225 && d >= 64 || d <= 4;
        });
        BinaryMask disc = mask(40, 40, (x, y) -> (x - 20) * (x - 20) + (y - 20) * (y - 20) <= 225);
        List<NormalizedPolygon> polygons = MaskTracer.trace(ring);
        assertEquals(1, polygons.size());
        assertEquals(disc, rasterize(polygons, ring));
        // background touching the border through a gap is not a hole: a C shape stays a C
        BinaryMask open = mask(40, 40, (x, y) -> {
            int d = (x - 20) * (x - 20) + (y - 20) * (y - 20);
            return d <= 225 && d >= 64 && !(x > 20 && Math.abs(y - 20) <= 2);
        });
        assertEquals(open, rasterize(MaskTracer.trace(open), open));
    }

    @Test
    void masksTouchingTheBorderAndDegenerateMasks() {
        BinaryMask full = mask(7, 5, (x, y) -> true);
        List<NormalizedPolygon> polygons = MaskTracer.trace(full);
        assertEquals(List.of(new NormalizedPolygon(new double[] {0, 0, 1, 0, 1, 1, 0, 1})), polygons);
        assertEquals(List.of(), MaskTracer.trace(mask(7, 5, (x, y) -> false)));
        BinaryMask pixel = mask(7, 5, (x, y) -> x == 6 && y == 4);
        assertEquals(pixel, rasterize(MaskTracer.trace(pixel), pixel));
        BinaryMask edges = mask(9, 6, (x, y) -> x == 0 || y == 5);
        assertEquals(edges, rasterize(MaskTracer.trace(edges), edges));
    }

    @Test
    void simplifiedOutlinesKeepTheBudgetAndHighIou() {
        Random random = new Random(11);
        double worst = 1;
        for (int trial = 0; trial < 40; trial++) {
            int width = 120;
            int height = 100;
            List<NormalizedPolygon> shapes = List.of(Shapes.shape(trial % 4, random, width, height),
                    Shapes.shape((trial + 1) % 4, random, width, height));
            BinaryMask shape = PolygonRasterizer.rasterize(shapes, width, height);
            List<NormalizedPolygon> exact = MaskTracer.trace(shape);
            List<NormalizedPolygon> simplified = MaskTracer.trace(shape, 0.5, 64);
            assertTrue(points(simplified) <= 64, "trial " + trial + ": " + points(simplified) + " points");
            assertTrue(points(simplified) < points(exact), "the staircase is removed");
            double iou = rasterize(simplified, shape).iou(shape);
            worst = Math.min(worst, iou);
            assertTrue(iou >= 0.9, "trial " + trial + ": IoU " + iou);
        }
        assertTrue(worst < 1, "simplification changed something");
    }

    @Test
    void tightBudgetRaisesToleranceThenDropsSmallestComponents() {
        BinaryMask disc = mask(200, 200, (x, y) -> (x - 100) * (x - 100) + (y - 100) * (y - 100) <= 90 * 90);
        List<NormalizedPolygon> eight = MaskTracer.trace(disc, 0.5, 8);
        assertEquals(1, eight.size());
        assertTrue(eight.get(0).pointCount() <= 8 && eight.get(0).pointCount() >= 3);
        assertTrue(rasterize(eight, disc).iou(disc) > 0.75, "an octagon-ish disc");
        // five separate dots with room for two triangles: the two largest survive
        BinaryMask dots = mask(100, 20, (x, y) -> {
            int size = 2 + x / 20; // dot k is (2 + k) pixels wide
            return x % 20 < size && y < size;
        });
        List<NormalizedPolygon> two = MaskTracer.trace(dots, 0.5, 7);
        assertEquals(2, two.size());
        assertTrue(points(two) <= 7);
        assertTrue(two.get(0).x(0) >= 0.8 || two.get(1).x(0) >= 0.8, "the largest dot (at x >= 80) is kept");
    }

    @Test
    void rejectsBadArguments() {
        BinaryMask m = mask(4, 4, (x, y) -> true);
        assertThrows(IllegalArgumentException.class, () -> MaskTracer.trace(m, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> MaskTracer.trace(m, Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> MaskTracer.trace(m, 0.5, 2));
    }
}
