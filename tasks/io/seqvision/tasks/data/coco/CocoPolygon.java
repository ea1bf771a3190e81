package io.seqvision.tasks.data.coco;

import java.util.Arrays;

/**
 * One polygon of a COCO {@code segmentation}: vertices as a flat {@code [x1, y1, x2, y2, ...]} array in pixels.
 * Immutable: the array is copied in and out; equality compares the coordinates.
 *
 * @param coordinates an even number (at least 6) of finite values
 */
public record CocoPolygon(double[] coordinates) {

    /** @throws IllegalArgumentException for an odd count, fewer than 3 points or a non-finite value */
    public CocoPolygon {
        if (coordinates.length % 2 != 0 || coordinates.length < 6) {
            throw new IllegalArgumentException("a polygon needs an even number (at least 6) of coordinates, got "
                    + coordinates.length);
        }
        for (double v : coordinates) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("polygon coordinate is not finite: " + v);
            }
        }
        coordinates = coordinates.clone();
    }

    /** @return a copy of the flat coordinates */
    @Override
    public double[] coordinates() {
        return coordinates.clone();
    }

    /** @return the number of vertices */
    public int pointCount() {
        return coordinates.length / 2;
    }

    /** @return x of vertex {@code i} */
    public double x(int i) {
        return coordinates[2 * i];
    }

    /** @return y of vertex {@code i} */
    public double y(int i) {
        return coordinates[2 * i + 1];
    }

    /** @return the enclosed area by the shoelace formula (for a simple polygon) */
    public double area() {
        double twice = 0;
        int n = pointCount();
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            twice += x(i) * y(j) - x(j) * y(i);
        }
        return Math.abs(twice) / 2;
    }

    /** @return the tight bounding box of the vertices */
    public CocoBox bounds() {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pointCount(); i++) {
            minX = Math.min(minX, x(i));
            minY = Math.min(minY, y(i));
            maxX = Math.max(maxX, x(i));
            maxY = Math.max(maxY, y(i));
        }
        return new CocoBox(minX, minY, maxX - minX, maxY - minY);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CocoPolygon p && Arrays.equals(coordinates, p.coordinates);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(coordinates);
    }

    @Override
    public String toString() {
        return "CocoPolygon" + Arrays.toString(coordinates);
    }
}
