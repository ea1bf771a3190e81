package io.seqvision.tokenizers;

import java.util.Arrays;

/**
 * One closed polygon, its vertices interleaved {@code x0, y0, x1, y1, ...} (COCO's order) and
 * normalised to [0, 1]: {@code x} by the image width, {@code y} by its height, so that {@code x =
 * 1} is the right edge of the image. The last vertex joins the first.
 *
 * @param xy at least three vertices; copied, never shared
 */
public record NormalizedPolygon(double[] xy) {

    public NormalizedPolygon {
        if (xy == null) {
            throw new IllegalArgumentException("polygon coordinates are null");
        }
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "polygon needs x, y pairs, got an odd number of values: " + xy.length);
        }
        if (xy.length < 6) {
            throw new IllegalArgumentException(
                    "polygon needs at least 3 points, got " + xy.length / 2);
        }
        for (int i = 0; i < xy.length; i++) {
            double v = xy[i];
            if (Double.isNaN(v) || v < 0 || v > 1) {
                throw new IllegalArgumentException("polygon point " + i / 2 + " " + (i % 2 == 0 ? "x" : "y")
                        + " must be a normalised coordinate in [0, 1], got " + v);
            }
        }
        xy = xy.clone();
    }

    /** A polygon from COCO pixel coordinates {@code x0, y0, x1, y1, ...} of an image of this size. */
    public static NormalizedPolygon fromPixels(double[] xyPixels, double width, double height) {
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("image size must be positive, got " + width + " x " + height);
        }
        double[] normalized = new double[xyPixels.length];
        for (int i = 0; i < xyPixels.length; i++) {
            normalized[i] = xyPixels[i] / (i % 2 == 0 ? width : height);
        }
        return new NormalizedPolygon(normalized);
    }

    /** A copy of the interleaved coordinates. */
    @Override
    public double[] xy() {
        return xy.clone();
    }

    public int pointCount() {
        return xy.length / 2;
    }

    public double x(int point) {
        return xy[2 * point];
    }

    public double y(int point) {
        return xy[2 * point + 1];
    }

    /** The same polygon mirrored left to right ({@code x -> 1 - x}). */
    public NormalizedPolygon flipHorizontal() {
        double[] flipped = xy.clone();
        for (int i = 0; i < flipped.length; i += 2) {
            flipped[i] = 1 - flipped[i];
        }
        return new NormalizedPolygon(flipped);
    }

    /** Enclosed area in normalised units (shoelace formula; absolute value). */
    public double area() {
        double twice = 0;
        int n = pointCount();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            twice += x(j) * y(i) - x(i) * y(j);
        }
        return Math.abs(twice) / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizedPolygon p && Arrays.equals(xy, p.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return "NormalizedPolygon" + Arrays.toString(xy);
    }
}
