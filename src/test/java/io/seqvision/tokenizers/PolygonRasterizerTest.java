package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Path2D;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PolygonRasterizerTest {

    @Test
    void matchesJavaAwtEvenOddContainmentAtPixelCentres() {
        Random random = new Random(13);
        for (int trial = 0; trial < 60; trial++) {
            int width = 20 + random.nextInt(60);
            int height = 20 + random.nextInt(60);
            int n = 3 + random.nextInt(12);
            double[] xy = new double[2 * n];
            for (int i = 0; i < xy.length; i++) {
                xy[i] = random.nextDouble(); // random vertices: self-intersecting polygons too
            }
            NormalizedPolygon polygon = new NormalizedPolygon(xy);
            BinaryMask mask = PolygonRasterizer.rasterize(List.of(polygon), width, height);
            Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
            path.moveTo(xy[0] * width, xy[1] * height);
            for (int i = 1; i < n; i++) {
                path.lineTo(xy[2 * i] * width, xy[2 * i + 1] * height);
            }
            path.closePath();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    assertEquals(path.contains(x + 0.5, y + 0.5), mask.get(x, y),
                            "pixel (" + x + ", " + y + ") of trial " + trial);
                }
            }
        }
    }

    @Test
    void pixelPolygonsFillTheSamePixelsAsTheirNormalisedForm() {
        Random random = new Random(17);
        for (int trial = 0; trial < 40; trial++) {
            int width = 10 + random.nextInt(90);
            int height = 10 + random.nextInt(90);
            double[] xy = new double[2 * (3 + random.nextInt(10))];
            double[] pixels = new double[xy.length];
            for (int i = 0; i < xy.length; i += 2) {
                xy[i] = random.nextDouble();
                xy[i + 1] = random.nextDouble();
                pixels[i] = xy[i] * width;
                pixels[i + 1] = xy[i + 1] * height;
            }
            BinaryMask normalised = PolygonRasterizer.rasterize(List.of(new NormalizedPolygon(xy)), width, height);
            BinaryMask inPixels = PolygonRasterizer.rasterizePixels(List.of(pixels), width, height);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    assertEquals(normalised.get(x, y), inPixels.get(x, y), "pixel (" + x + ", " + y + ")");
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> PolygonRasterizer.rasterizePixels(List.of(new double[] {1, 2, 3}), 4, 4));
    }

    @Test
    void anAlignedSquareCoversExactlyItsPixels() {
        NormalizedPolygon square = new NormalizedPolygon(new double[] {0.25, 0.1, 0.75, 0.1, 0.75, 0.6, 0.25, 0.6});
        BinaryMask mask = PolygonRasterizer.rasterize(List.of(square), 100, 50);
        assertEquals(50 * 25, mask.area());
        assertTrue(mask.get(25, 5) && mask.get(74, 29));
        assertTrue(!mask.get(24, 5) && !mask.get(75, 5) && !mask.get(30, 4) && !mask.get(30, 30));
    }

    @Test
    void aLargeCircleCoversItsArea() {
        double[] xy = Shapes.starPixels(200, 150, 120, 256, 1, 0.3);
        NormalizedPolygon circle = NormalizedPolygon.fromPixels(xy, 400, 300);
        BinaryMask mask = PolygonRasterizer.rasterize(List.of(circle), 400, 300);
        double exact = circle.area() * 400 * 300;
        assertEquals(exact, mask.area(), exact * 0.005);
    }

    @Test
    void polygonsOfOneObjectAreUnited() {
        NormalizedPolygon a = new NormalizedPolygon(new double[] {0, 0, 0.6, 0, 0.6, 1, 0, 1});
        NormalizedPolygon b = new NormalizedPolygon(new double[] {0.4, 0, 1, 0, 1, 1, 0.4, 1});
        assertEquals(100, PolygonRasterizer.rasterize(List.of(a, b), 10, 10).area());
        BinaryMask left = PolygonRasterizer.rasterize(List.of(a), 10, 10);
        BinaryMask right = PolygonRasterizer.rasterize(List.of(b), 10, 10);
        assertEquals(0.2, left.iou(right), 1e-12);
        assertEquals(1.0, PolygonRasterizer.rasterize(List.of(), 4, 4).iou(PolygonRasterizer.rasterize(List.of(), 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> left.iou(PolygonRasterizer.rasterize(List.of(), 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> PolygonRasterizer.rasterize(List.of(a), 0, 10));
    }
}
