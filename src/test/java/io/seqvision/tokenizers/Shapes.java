package io.seqvision.tokenizers;

import java.util.Random;

/** Shape-like test polygons in pixel coordinates, converted to normalised ones. */
final class Shapes {

    private Shapes() {}

    /** A regular n-gon (or star when {@code innerRatio < 1}: alternate vertices pulled in). */
    static double[] starPixels(double cx, double cy, double radius, int vertices, double innerRatio, double rotation) {
        double[] xy = new double[2 * vertices];
        for (int i = 0; i < vertices; i++) {
            double r = i % 2 == 1 ? radius * innerRatio : radius;
            double angle = rotation + 2 * Math.PI * i / vertices;
            xy[2 * i] = cx + r * Math.cos(angle);
            xy[2 * i + 1] = cy + r * Math.sin(angle);
        }
        return xy;
    }

    /**
     * One of circle (32-gon), square, triangle, five-pointed star, of size 20 to 100 pixels,
     * placed wholly inside a {@code width x height} image; {@code kind} 0..3.
     */
    static NormalizedPolygon shape(int kind, Random random, int width, int height) {
        double size = 20 + random.nextDouble() * 80;
        double radius = size / 2;
        double cx = radius + random.nextDouble() * (width - 2 * radius);
        double cy = radius + random.nextDouble() * (height - 2 * radius);
        double rotation = random.nextDouble() * 2 * Math.PI;
        double[] xy = switch (kind) {
            case 0 -> starPixels(cx, cy, radius, 32, 1, rotation);
            case 1 -> starPixels(cx, cy, radius, 4, 1, rotation);
            case 2 -> starPixels(cx, cy, radius, 3, 1, rotation);
            default -> starPixels(cx, cy, radius, 10, 0.45, rotation);
        };
        return NormalizedPolygon.fromPixels(xy, width, height);
    }
}
