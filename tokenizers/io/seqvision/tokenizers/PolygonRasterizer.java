package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fills polygons into a {@link BinaryMask} by scanlines. A pixel is set when its centre {@code (x +
 * 0.5, y + 0.5)} (pixel units, normalised coordinates times the image size) lies inside a polygon
 * under the even-odd rule; an object's polygons are unioned (COCO polygons have no holes). Centres
 * exactly on a left or top edge count as inside, on a right or bottom edge as outside, so two
 * polygons sharing an edge never both claim a pixel.
 */
public final class PolygonRasterizer {

    private PolygonRasterizer() {}

    public static BinaryMask rasterize(List<NormalizedPolygon> polygons, int width, int height) {
        List<double[]> inPixels = new ArrayList<>(polygons.size());
        for (NormalizedPolygon polygon : polygons) {
            double[] xy = new double[2 * polygon.pointCount()];
            for (int i = 0; i < polygon.pointCount(); i++) {
                xy[2 * i] = polygon.x(i) * width;
                xy[2 * i + 1] = polygon.y(i) * height;
            }
            inPixels.add(xy);
        }
        return rasterizePixels(inPixels, width, height);
    }

    /**
     * As {@link #rasterize}, for polygons already in pixels: each {@code [x0, y0, x1, y1, ...]}.
     */
    public static BinaryMask rasterizePixels(List<double[]> polygons, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + " x " + height);
        }
        boolean[] pixels = new boolean[width * height];
        for (double[] polygon : polygons) {
            if (polygon.length % 2 != 0) {
                throw new IllegalArgumentException("a polygon needs x, y pairs, got " + polygon.length + " values");
            }
            fill(polygon, width, height, pixels);
        }
        return new BinaryMask(width, height, pixels);
    }

    private static void fill(double[] xy, int width, int height, boolean[] pixels) {
        int n = xy.length / 2;
        double[] px = new double[n];
        double[] py = new double[n];
        double top = Double.POSITIVE_INFINITY;
        double bottom = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            px[i] = xy[2 * i];
            py[i] = xy[2 * i + 1];
            top = Math.min(top, py[i]);
            bottom = Math.max(bottom, py[i]);
        }
        double[] crossings = new double[n];
        int firstRow = Math.max(0, (int) Math.ceil(top - 0.5));
        int lastRow = Math.min(height - 1, (int) Math.ceil(bottom - 0.5) - 1);
        for (int row = firstRow; row <= lastRow; row++) {
            double y = row + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                // half-open in y, so a vertex on the scanline is counted once
                if ((py[i] <= y && y < py[j]) || (py[j] <= y && y < py[i])) {
                    crossings[count++] = px[i] + (y - py[i]) * (px[j] - px[i]) / (py[j] - py[i]);
                }
            }
            Arrays.sort(crossings, 0, count);
            for (int k = 0; k + 1 < count; k += 2) {
                int from = Math.max(0, (int) Math.ceil(crossings[k] - 0.5));
                int to = Math.min(width, (int) Math.ceil(crossings[k + 1] - 0.5));
                if (from < to) {
                    Arrays.fill(pixels, row * width + from, row * width + to, true);
                }
            }
        }
    }
}
